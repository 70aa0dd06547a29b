namespace Decentral.Agreement;

/// <summary>
/// Aggregates k input vectors of one round into one output vector. Implementations are stateless and
/// thread-safe. Inputs must be non-empty, of equal dimension (the output's length) and finite; otherwise
/// an ArgumentException names the parameter.
/// </summary>
public interface IAggregationRule
{
    /// <summary>Name as accepted by <see cref="AggregationRules.Parse"/>.</summary>
    string Name { get; }

    /// <summary>
    /// True when every output is a convex combination of the whole input vectors and the rule can report its
    /// weights (validity evidence). Coordinate-wise rules (median, trimmed mean) are convex combinations
    /// per coordinate only, with different weights per coordinate, so they report false.
    /// </summary>
    bool ProvidesConvexWeights { get; }

    /// <summary>
    /// output ← Aggregate(inputs). When <paramref name="weights"/> is non-empty it must have one entry per
    /// input and the rule must provide convex weights; it then receives w (w ≥ 0, Σw = 1) with
    /// output = Σ w[i]·inputs[i].
    /// </summary>
    void Aggregate(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights);
}
