namespace Decentral.Nodes.Data;

/// <summary>Which rows a node samples from.</summary>
public enum PartitionMode
{
    /// <summary>Every node samples the whole data set (the seeds' assumption: identical local objectives).</summary>
    Shared,

    /// <summary>Node i of n owns shard i (<see cref="Dataset.Shard"/>): heterogeneous local objectives.</summary>
    Sharded,
}

public static class Partitioning
{
    /// <summary>Parses "shared" or "sharded" (case-insensitive).</summary>
    public static PartitionMode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "shared" => PartitionMode.Shared,
            "sharded" => PartitionMode.Sharded,
            _ => throw new ArgumentException($"Unknown partition mode '{text}': expected 'shared' or 'sharded'.", nameof(text)),
        };
    }

    /// <summary>The rows node <paramref name="node"/> of <paramref name="nodes"/> works on.</summary>
    public static Dataset DataFor(Dataset data, PartitionMode mode, int node, int nodes)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, nodes);
        return mode switch
        {
            PartitionMode.Shared => data,
            PartitionMode.Sharded => data.Shard(node, nodes),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown partition mode."),
        };
    }
}
