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
        var sum = 0.0;
        foreach (var i in rows)
        {
            sum += TLoss.Evaluate(data.Dot(i, x), data.Label(i), out _);
        }
        return sum / rows.Length;
    }

    /// <summary>Overwrites <paramref name="gradient"/> with the data term's gradient; returns its value.</summary>
    public static double Gradient<TLoss>(Dataset data, ReadOnlySpan<double> x, Span<double> gradient)
        where TLoss : struct, IPredictionLoss
    {
        gradient.Clear();
        var sum = 0.0;
        var scale = 1.0 / data.Rows;
        for (var i = 0; i < data.Rows; i++)
        {
            sum += TLoss.Evaluate(data.Dot(i, x), data.Label(i), out var slope);
            data.AddScaledRow(i, slope * scale, gradient);
        }
        return sum * scale;
    }

    public static double Gradient<TLoss>(Dataset data, ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient)
        where TLoss : struct, IPredictionLoss
    {
        gradient.Clear();
        var sum = 0.0;
        var scale = 1.0 / rows.Length;
        foreach (var i in rows)
        {
            sum += TLoss.Evaluate(data.Dot(i, x), data.Label(i), out var slope);
            data.AddScaledRow(i, slope * scale, gradient);
        }
        return sum * scale;
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
