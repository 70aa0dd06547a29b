using Decentral.Nodes.Data;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// The data term of a generalised linear model, (1/|B|) Σ_{i∈B} ℓ(aᵢᵀx, bᵢ), shared by the objectives.
/// Generic over the loss so the per-row call inlines.
/// </summary>
internal static class Glm
{
    public static double Value<TLoss>(Dataset data, ReadOnlySpan<double> x)
        where TLoss : struct, IPredictionLoss
    {
        if (data.IsDense)
        {
            var dense = 0.0;
            Span<int> chunk = stackalloc int[Chunk];
            for (var start = 0; start < data.Rows; start += Chunk)
            {
                dense = DenseGlm.LossSum<TLoss>(data, x, Consecutive(chunk, start, data.Rows), dense);
            }

            return dense / data.Rows;
        }

        var sum = 0.0;
        for (var i = 0; i < data.Rows; i++)
        {
            sum += TLoss.Evaluate(data.Dot(i, x), data.Label(i), out _);
        }
        return sum / data.Rows;
    }

    public static double Value<TLoss>(Dataset data, ReadOnlySpan<double> x, ReadOnlySpan<int> rows)
        where TLoss : struct, IPredictionLoss
    {
        if (data.IsDense)
        {
            return DenseGlm.LossSum<TLoss>(data, x, rows) / rows.Length;
        }

        var sum = 0.0;
        foreach (var i in rows)
        {
            sum += TLoss.Evaluate(data.Dot(i, x), data.Label(i), out _);
        }
        return sum / rows.Length;
    }

    public static double Gradient<TLoss>(Dataset data, ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient)
        where TLoss : struct, IPredictionLoss
    {
        gradient.Clear();
        var scale = 1.0 / rows.Length;
        if (data.IsDense)
        {
            return DenseGlm.AddGradient<TLoss>(data, x, rows, scale, gradient) * scale;
        }

        var sum = 0.0;
        foreach (var i in rows)
        {
            sum += TLoss.Evaluate(data.Dot(i, x), data.Label(i), out var slope);
            data.AddScaledRow(i, slope * scale, gradient);
        }
        return sum * scale;
    }

    /// <summary>Rows a dense pass over the whole data set takes at a time (a stack buffer of their indices).</summary>
    private const int Chunk = 256;

    /// <summary>start, start + 1, … (at most <paramref name="buffer"/>'s length, not past <paramref name="end"/>).</summary>
    private static ReadOnlySpan<int> Consecutive(Span<int> buffer, int start, int end)
    {
        var count = Math.Min(buffer.Length, end - start);
        for (var k = 0; k < count; k++)
        {
            buffer[k] = start + k;
        }

        return buffer[..count];
    }

    /// <summary>
    /// The fraction of rows whose label ±1 has the sign of aᵢᵀx (a prediction of exactly 0 counts as +1).
    /// </summary>
    public static double SignAccuracy(Dataset data, ReadOnlySpan<double> x)
    {
        var correct = 0L;
        for (var i = 0; i < data.Rows; i++)
        {
            var predicted = data.Dot(i, x) >= 0 ? 1.0 : -1.0;
            if (predicted == data.Label(i))
            {
                correct++;
            }
        }

        return (double)correct / data.Rows;
    }

    /// <summary>(1/N) Σ ‖aᵢ‖²: bounds λ_max((1/N) AᵀA) because the trace bounds the largest eigenvalue.</summary>
    public static double MeanRowNormSquared(Dataset data)
    {
        var sum = 0.0;
        for (var i = 0; i < data.Rows; i++)
        {
            sum += data.RowNormSquared(i);
        }
        return sum / data.Rows;
    }

    public static void CheckModel(int dimension, ReadOnlySpan<double> x)
    {
        if (x.Length != dimension)
        {
            throw new ArgumentException($"The model has {x.Length} coordinates, the objective expects {dimension}.", nameof(x));
        }
    }

    public static void CheckGradient(int dimension, Span<double> gradient)
    {
        if (gradient.Length != dimension)
        {
            throw new ArgumentException($"The gradient buffer has {gradient.Length} coordinates, the objective expects {dimension}.", nameof(gradient));
        }
    }

    public static void CheckRows(ReadOnlySpan<int> rows)
    {
        if (rows.IsEmpty)
        {
            throw new ArgumentException("A mini-batch needs at least one row.", nameof(rows));
        }
    }

    /// <summary>The logistic loss is written for labels ±1; anything else is a data error, not a model.</summary>
    public static Dataset CheckBinaryLabels(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labels = data.Labels;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (1.0 or -1.0))
            {
                throw new ArgumentException(
                    $"Logistic regression needs labels ±1, but row {i} of {data.Name} has label {labels[i]} (read the data with LabelMode.Binary).",
                    nameof(data));
            }
        }
        return data;
    }

    public static double CheckLambda(double lambda) =>
        lambda >= 0 && double.IsFinite(lambda)
            ? lambda
            : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The regularisation weight must be non-negative and finite.");
}
