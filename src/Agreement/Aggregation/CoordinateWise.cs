namespace Decentral.Agreement;

/// <summary>
/// Shared engine of the coordinate-wise order-statistic rules: per coordinate, sort the k values and
/// average the ones between ranks <c>drop</c> and <c>k − 1 − drop</c>. Each output coordinate lies in
/// [min, max] of that coordinate over the inputs (box validity), but the output is in general not a
/// convex combination of the whole input vectors.
/// </summary>
internal static class CoordinateWise
{
    internal static void TrimmedAverage(
        IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, int drop)
    {
        var k = inputs.Count;
        for (var i = 0; i < k; i++)
        {
            // Sorting would silently move a NaN to one end, so the inputs are checked explicitly.
            if (!VectorMath.AllFinite(inputs[i].Span))
            {
                VectorMath.ThrowNonFinite(inputs, nameof(inputs));
            }
        }

        Invariant.Check(2 * drop < k, "aggregation.values-remain", "trimming leaves no value");
        var keep = k - (2 * drop);
        var d = output.Length;
        Span<double> column = k <= 256 ? stackalloc double[k] : new double[k];
        var chunk = VectorMath.ChunkLength(k);
        for (var start = 0; start < d; start += chunk)
        {
            var len = Math.Min(chunk, d - start);
            for (var c = start; c < start + len; c++)
            {
                for (var i = 0; i < k; i++)
                {
                    column[i] = inputs[i].Span[c];
                }

                column.Sort();
                var sum = 0.0;
                for (var r = drop; r < drop + keep; r++)
                {
                    sum += column[r];
                }

                // Clamp: rounding of the sum must not push the result outside the kept values.
                output[c] = Math.Clamp(sum / keep, column[drop], column[drop + keep - 1]);
            }
        }
    }
}

/// <summary>Coordinate-wise median (mean of the two middle values when k is even).</summary>
public sealed class CoordinateWiseMedian : IAggregationRule
{
    public static CoordinateWiseMedian Instance { get; } = new();

    public string Name => "median";

    public bool ProvidesConvexWeights => false;

    public void Aggregate(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights)
    {
        AggregationRules.Validate(this, inputs, output, weights);
        CoordinateWise.TrimmedAverage(inputs, output, (inputs.Count - 1) / 2);
    }
}

/// <summary>
/// Coordinate-wise trimmed mean: per coordinate drop the f smallest and f largest values and average the
/// rest. When k ≤ 2f it trims ⌊(k−1)/2⌋ per side instead, i.e. degrades to the median, because a quorum
/// may hold fewer values than the rule was configured for and the round must still produce a value.
/// </summary>
public sealed class TrimmedMean : IAggregationRule
{
    public TrimmedMean(int trim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trim);
        Trim = trim;
    }

    /// <summary>f: values dropped at each end per coordinate.</summary>
    public int Trim { get; }

    public string Name => $"trimmed-mean:{Trim}";

    public bool ProvidesConvexWeights => false;

    public void Aggregate(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights)
    {
        AggregationRules.Validate(this, inputs, output, weights);
        CoordinateWise.TrimmedAverage(inputs, output, Math.Min(Trim, (inputs.Count - 1) / 2));
    }
}
