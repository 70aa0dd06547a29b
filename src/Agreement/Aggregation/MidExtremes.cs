namespace Decentral.Agreement;

/// <summary>
/// MidExtremes (Függer &amp; Nowak): the midpoint of the two inputs at maximum Euclidean distance. Ties go to
/// the lexicographically lowest index pair (i, j), i &lt; j, so every process picks the same pair from the
/// same list. One O(k²·d) sweep per call that streams each input once (see Pairwise).
/// </summary>
public sealed class MidExtremes : IAggregationRule
{
    public static MidExtremes Instance { get; } = new();

    public string Name => "mid-extremes";

    public bool ProvidesConvexWeights => true;

    public void Aggregate(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights)
    {
        AggregationRules.Validate(this, inputs, output, weights);
        var (a, b) = FarthestPair(inputs);
        var xa = inputs[a].Span;
        var xb = inputs[b].Span;
        var chunk = VectorMath.ChunkLength(2);
        for (var start = 0; start < output.Length; start += chunk)
        {
            var len = Math.Min(chunk, output.Length - start);
            var dst = output.Slice(start, len);
            System.Numerics.Tensors.TensorPrimitives.Add(xa.Slice(start, len), xb.Slice(start, len), dst);
            System.Numerics.Tensors.TensorPrimitives.Multiply(dst, 0.5, dst);
        }

        if (!weights.IsEmpty)
        {
            weights.Clear();
            weights[a] += 0.5;
            weights[b] += 0.5;
        }
    }

    /// <summary>Indices of the farthest pair (lowest pair on ties); (0, 0) for a single input.</summary>
    public static (int First, int Second) FarthestPair(IReadOnlyList<ReadOnlyMemory<double>> inputs)
    {
        VectorMath.CommonDimension(inputs, nameof(inputs));
        var k = inputs.Count;
        if (k == 1)
        {
            if (!VectorMath.AllFinite(inputs[0].Span))
            {
                VectorMath.ThrowNonFinite(inputs, nameof(inputs));
            }

            return (0, 0);
        }

        var pairs = Pairwise.PairCount(k);
        Span<double> acc = pairs > Pairwise.MaxStackPairs ? new double[pairs] : stackalloc double[pairs];
        Pairwise.SquaredDistances(inputs, acc);
        var best = 0;
        var finite = double.IsFinite(acc[0]);
        for (var p = 1; p < pairs; p++)
        {
            finite &= double.IsFinite(acc[p]);
            // Strictly greater keeps the first (lowest) pair on ties.
            if (acc[p] > acc[best])
            {
                best = p;
            }
        }

        // Every pair distance involving a vector with NaN/±Inf is non-finite, so this validates the inputs.
        if (!finite)
        {
            VectorMath.ThrowNonFinite(inputs, nameof(inputs));
        }

        return Pairwise.PairAt(best, k);
    }
}
