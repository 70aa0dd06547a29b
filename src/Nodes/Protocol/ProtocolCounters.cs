namespace Decentral.Nodes.Protocol;

/// <summary>Per-node protocol counters (single-threaded: owned by the node's protocol instance).</summary>
public sealed class ProtocolCounters
{
    public long Received { get; internal set; }

    /// <summary>Coordinates carried by the received messages (8 bytes each as float64), counted per message.</summary>
    public long ReceivedCoordinates { get; internal set; }

    public long Rejected { get; internal set; }

    public long Stale { get; internal set; }

    public long Duplicates { get; internal set; }

    public long Evicted { get; internal set; }

    /// <summary>MDAA-round values not aggregated because a member of the same cluster was heard first (one value per cluster).</summary>
    public long Represented { get; internal set; }

    public long Broadcasts { get; internal set; }

    public long Resends { get; internal set; }

    public long Helps { get; internal set; }

    public long RegisterOperations { get; internal set; }

    public long IterationsCompleted { get; internal set; }

    public long SkippedStages { get; internal set; }

    public long SkippedIterations { get; internal set; }
}
