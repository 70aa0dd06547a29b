using Decentral.Agreement;

namespace Decentral.Simulation.Dst;

/// <summary>
/// The `mid-extremes-wrong-pair` mutant: MidExtremes with the wrong pair — the midpoint of the two
/// inputs at MINIMUM Euclidean distance. Its output is still a convex combination of two inputs (so
/// validity holds and it reports honest weights); only contraction can tell it from MidExtremes.
/// Ties go to the lowest index pair, like MidExtremes, so the mutant stays deterministic.
/// </summary>
public sealed class ClosestPairRule : IAggregationRule
{
    public static ClosestPairRule Instance { get; } = new();

    public string Name => "mid-extremes-wrong-pair";

    public bool ProvidesConvexWeights => true;

    public void Aggregate(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("At least one input is needed.", nameof(inputs));
        }
        var d = inputs[0].Length;
        foreach (var x in inputs)
        {
            if (x.Length != d || !VectorMath.AllFinite(x.Span))
            {
                throw new ArgumentException($"Every input must be finite and of dimension {d}.", nameof(inputs));
            }
        }
        if (output.Length != d)
        {
            throw new ArgumentException($"Output has length {output.Length} but the inputs have dimension {d}.", nameof(output));
        }
        if (!weights.IsEmpty && weights.Length != inputs.Count)
        {
            throw new ArgumentException($"Expected {inputs.Count} weights, one per input, but got {weights.Length}.", nameof(weights));
        }
        var (a, b) = ClosestPair(inputs);
        var xa = inputs[a].Span;
        var xb = inputs[b].Span;
        for (var k = 0; k < d; k++)
        {
            output[k] = (xa[k] + xb[k]) * 0.5;
        }
        if (!weights.IsEmpty)
        {
            weights.Clear();
            weights[a] += 0.5;
            weights[b] += 0.5;
        }
    }

    /// <summary>Indices of the closest pair (lowest pair on ties); (0, 0) for a single input.</summary>
    public static (int First, int Second) ClosestPair(IReadOnlyList<ReadOnlyMemory<double>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 1)
        {
            return (0, 0);
        }
        (int, int) best = (0, 1);
        var bestDistance = double.PositiveInfinity;
        for (var i = 0; i < inputs.Count; i++)
        {
            for (var j = i + 1; j < inputs.Count; j++)
            {
                var dist = VectorMath.SquaredDistance(inputs[i].Span, inputs[j].Span);
                if (dist < bestDistance)
                {
                    bestDistance = dist;
                    best = (i, j);
                }
            }
        }
        return best;
    }
}
