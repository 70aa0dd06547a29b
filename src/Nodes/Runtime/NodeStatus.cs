using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// The latest observable state of one node, published by its actor after every message it handles.
/// Readers on other threads see a consistent snapshot (the fields are replaced together under a lock).
/// </summary>
public sealed class NodeStatus
{
    private readonly object gate = new();
    private NodeSnapshot snapshot;

    // Kept apart from the snapshot: a crashed actor's last handler may still publish after the crash.
    private bool crashed;

    public NodeStatus(int index, string name)
    {
        Index = index;
        Name = name;
        snapshot = new NodeSnapshot(index, name, default, ReadOnlyMemory<double>.Empty, false, 0, false, 0, 0, 0, 0, 0, 0);
    }

    public int Index { get; }

    public string Name { get; }

    public NodeSnapshot Snapshot
    {
        get
        {
            lock (gate)
            {
                return crashed ? snapshot with { Crashed = true } : snapshot;
            }
        }
    }

    internal void Publish(NodeSnapshot next)
    {
        lock (gate)
        {
            snapshot = next;
        }
    }

    internal void MarkCrashed()
    {
        lock (gate)
        {
            crashed = true;
        }
    }

    internal void MarkRestarted()
    {
        lock (gate)
        {
            crashed = false;
        }
    }
}

/// <summary>One node's state at a moment: stage, model (shared, never mutated), counters.</summary>
public sealed record NodeSnapshot(
    int Index,
    string Name,
    Stage Stage,
    ReadOnlyMemory<double> Model,
    bool Finished,
    int Incarnation,
    bool Crashed,
    long IterationsCompleted,
    long SkippedIterations,
    long SkippedStages,
    long MessagesSent,
    long MessagesReceived,
    int BufferedStages)
{
    public int Iteration => Stage.Iteration;

    internal static NodeSnapshot From(int index, string name, DecentralizedSgdProtocol p, long sent) => new(
        index,
        name,
        p.Stage,
        p.Model,
        p.IsFinished,
        p.Incarnation,
        false,
        p.Counters.IterationsCompleted,
        p.Counters.SkippedIterations,
        p.Counters.SkippedStages,
        sent,
        p.Counters.Received,
        p.BufferedStages);
}
