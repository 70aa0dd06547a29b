using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// The latest observable state of one node, published by its actor after every message it handles.
/// Readers on other threads see a consistent snapshot: the snapshot is an immutable record swapped
/// in whole, so neither side takes a lock.
/// </summary>
public sealed class NodeStatus
{
    private volatile NodeSnapshot snapshot;

    // Kept apart from the snapshot: a crashed actor's last handler may still publish after the crash.
    private volatile bool crashed;
    private volatile string? failure;
    private long dropped;

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
            var s = snapshot;
            return crashed ? s with { Crashed = true, Failure = failure } : s;
        }
    }

    /// <summary>This node's messages the in-process fault layer dropped (blackholes, random drops), counted since the run started.</summary>
    public long MessagesDropped => Interlocked.Read(ref dropped);

    /// <summary>Crashed, or finished all iterations (without copying the snapshot).</summary>
    public bool IsCrashedOrFinished => crashed || snapshot.Finished;

    internal void Publish(NodeSnapshot next) => snapshot = next;

    internal void MarkCrashed() => crashed = true;

    internal void CountDropped() => Interlocked.Increment(ref dropped);

    /// <summary>The node is being stopped because its model failed (<see cref="NodeSnapshot.Failure"/> says how).</summary>
    internal void MarkFailed(string detail) => failure = detail;

    internal void MarkRestarted()
    {
        failure = null;
        crashed = false;
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
    /// <summary>Coordinates of the models and agreement values this incarnation sent, counted per message (8 bytes each as float64).</summary>
    public long CoordinatesSent { get; init; }

    /// <summary>Coordinates of the messages this incarnation received, counted per message.</summary>
    public long CoordinatesReceived { get; init; }

    public int Iteration => Stage.Iteration;

    /// <summary>Why a crashed node was stopped when it was not a crash fault: its model failed (the error); null otherwise.</summary>
    public string? Failure { get; init; }

    internal static NodeSnapshot From(int index, string name, DecentralizedSgdProtocol p, long sent, long sentCoordinates) => new(
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
        p.BufferedStages)
    {
        CoordinatesSent = sentCoordinates,
        CoordinatesReceived = p.Counters.ReceivedCoordinates,
    };
}
