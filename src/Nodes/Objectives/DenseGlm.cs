using Decentral.Nodes.Data;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// The data term of <see cref="Glm"/> on a dense data set, four rows at a time: the four dot products run
/// as four independent chains through one pass over x, and the four scaled rows are added to each
/// gradient coordinate in one pass. Every chain adds in the same order as the row-by-row code (row order
/// for the loss sum and for each gradient coordinate, column order within a dot product), so the results
/// are bit for bit those of <see cref="Glm"/>'s sparse path — only faster (the row-by-row dot product
/// waits on each addition; four chains overlap).
/// </summary>
internal static class DenseGlm
{
    private const int Block = 4;

    /// <summary><paramref name="sum"/> plus ℓ(aᵢᵀx, bᵢ) of each of <paramref name="rows"/>, added in row order (not divided).</summary>
    public static double LossSum<TLoss>(Dataset data, ReadOnlySpan<double> x, ReadOnlySpan<int> rows, double sum = 0.0)
        where TLoss : struct, IPredictionLoss
    {
        var i = 0;
        for (; i + Block <= rows.Length; i += Block)
        {
            var (d0, d1, d2, d3) = Dots(data, x, rows.Slice(i, Block));
            sum += TLoss.Evaluate(d0, data.Label(rows[i]), out _);
            sum += TLoss.Evaluate(d1, data.Label(rows[i + 1]), out _);
            sum += TLoss.Evaluate(d2, data.Label(rows[i + 2]), out _);
            sum += TLoss.Evaluate(d3, data.Label(rows[i + 3]), out _);
        }

        for (; i < rows.Length; i++)
        {
            sum += TLoss.Evaluate(data.Dot(rows[i], x), data.Label(rows[i]), out _);
        }

        return sum;
    }

    /// <summary>
    /// Adds Σ over <paramref name="rows"/> of scale·ℓ'(aᵢᵀx, bᵢ)·aᵢ to <paramref name="gradient"/> (rows in
    /// order) and returns <paramref name="sum"/> plus their ℓ(aᵢᵀx, bᵢ), added in row order (not divided).
    /// </summary>
    public static double AddGradient<TLoss>(Dataset data, ReadOnlySpan<double> x, ReadOnlySpan<int> rows, double scale, Span<double> gradient, double sum = 0.0)
        where TLoss : struct, IPredictionLoss
    {
        var i = 0;
        for (; i + Block <= rows.Length; i += Block)
        {
            var block = rows.Slice(i, Block);
            var (d0, d1, d2, d3) = Dots(data, x, block);
            sum += TLoss.Evaluate(d0, data.Label(block[0]), out var g0);
            sum += TLoss.Evaluate(d1, data.Label(block[1]), out var g1);
            sum += TLoss.Evaluate(d2, data.Label(block[2]), out var g2);
            sum += TLoss.Evaluate(d3, data.Label(block[3]), out var g3);
            AddScaledRows(data, block, g0 * scale, g1 * scale, g2 * scale, g3 * scale, gradient);
        }

        for (; i < rows.Length; i++)
        {
            sum += TLoss.Evaluate(data.Dot(rows[i], x), data.Label(rows[i]), out var slope);
            data.AddScaledRow(rows[i], slope * scale, gradient);
        }

        return sum;
    }

    private static (double, double, double, double) Dots(Dataset data, ReadOnlySpan<double> x, ReadOnlySpan<int> block)
    {
        var a0 = data.Values(block[0])[..x.Length];
        var a1 = data.Values(block[1])[..x.Length];
        var a2 = data.Values(block[2])[..x.Length];
        var a3 = data.Values(block[3])[..x.Length];
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (var j = 0; j < x.Length; j++)
        {
            var xj = x[j];
            s0 += a0[j] * xj;
            s1 += a1[j] * xj;
            s2 += a2[j] * xj;
            s3 += a3[j] * xj;
        }

        return (s0, s1, s2, s3);
    }

    private static void AddScaledRows(Dataset data, ReadOnlySpan<int> block, double c0, double c1, double c2, double c3, Span<double> target)
    {
        var a0 = data.Values(block[0])[..target.Length];
        var a1 = data.Values(block[1])[..target.Length];
        var a2 = data.Values(block[2])[..target.Length];
        var a3 = data.Values(block[3])[..target.Length];
        for (var j = 0; j < target.Length; j++)
        {
            var t = target[j];
            t += c0 * a0[j];
            t += c1 * a1[j];
            t += c2 * a2[j];
            t += c3 * a3[j];
            target[j] = t;
        }
    }
}
