namespace Decentral.Agreement;

/// <summary>
/// The immutable content of one register slot: a value and the in-cluster round it belongs to.
/// <see cref="Weights"/> is optional validity evidence: convex weights over the cluster members' inputs
/// to this agreement instance (indexed by slot), empty when the aggregation rule provides none.
/// Whoever writes an entry must not mutate the memory it references afterwards.
/// </summary>
public sealed record RegisterEntry
{
    public RegisterEntry(ReadOnlyMemory<double> value, int round, ReadOnlyMemory<double> weights = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        Value = value;
        Round = round;
        Weights = weights;
    }

    public ReadOnlyMemory<double> Value { get; }

    public int Round { get; }

    public ReadOnlyMemory<double> Weights { get; }
}
