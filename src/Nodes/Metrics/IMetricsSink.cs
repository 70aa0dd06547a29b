namespace Decentral.Nodes.Metrics;

/// <summary>Where node metrics go. Implementations are thread-safe (nodes report concurrently).</summary>
public interface IMetricsSink : IDisposable
{
    void Write(NodeMetrics metrics);

    /// <summary>Pushes buffered records to their destination (file sinks also flush on dispose).</summary>
    void Flush();
}

/// <summary>Keeps every record in memory, for tests and for the TestKit's LocalCluster.</summary>
public sealed class InMemoryMetricsSink : IMetricsSink
{
    private readonly object _gate = new();
    private readonly List<NodeMetrics> _records = [];

    public void Write(NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        lock (_gate)
        {
            _records.Add(metrics);
        }
    }

    /// <summary>A copy of everything written so far, in write order.</summary>
    public IReadOnlyList<NodeMetrics> Snapshot()
    {
        lock (_gate)
        {
            return [.. _records];
        }
    }

    /// <summary>A copy of the records of one node, in write order.</summary>
    public IReadOnlyList<NodeMetrics> For(string node)
    {
        lock (_gate)
        {
            return _records.FindAll(r => r.Node == node);
        }
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
