using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;

namespace Decentral.TestKit;

/// <summary>
/// Records what the nodes of a run report, for assertions after (or during) the run: protocol events,
/// the same as <see cref="NodeEvent"/>s (what subscribed probes get), every distinct message sent (by
/// stage and sender), checkpoints and checkpoint problems. Thread-safe.
/// </summary>
public sealed class EventRecorder : IRunObserver
{
    private readonly object gate = new();
    private readonly List<ProtocolEvent> events = [];
    private readonly List<NodeEvent> nodeEvents = [];
    private readonly Dictionary<(Stage Stage, int Sender), double[]> sent = [];
    private readonly List<(int Node, SaveCheckpoint Checkpoint)> checkpoints = [];
    private readonly List<(int Node, string Problem)> problems = [];

    public IReadOnlyList<ProtocolEvent> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    /// <summary>Every <see cref="NodeEvent"/> so far, in the order the nodes reported them.</summary>
    public IReadOnlyList<NodeEvent> NodeEvents
    {
        get
        {
            lock (gate)
            {
                return [.. nodeEvents];
            }
        }
    }

    /// <summary>The recorded events of type <typeparamref name="T"/>: protocol events or <see cref="NodeEvent"/>s (e.g. <c>Of&lt;NodeCrashed&gt;()</c>).</summary>
    public IReadOnlyList<T> Of<T>()
        where T : class
    {
        lock (gate)
        {
            return [.. events.OfType<T>(), .. nodeEvents.OfType<T>()];
        }
    }

    /// <summary>Iterations node <paramref name="node"/> completed, in order (skipped ones flagged).</summary>
    public IReadOnlyList<Nodes.Protocol.IterationCompleted> Iterations(int node)
    {
        lock (gate)
        {
            return [.. events.OfType<Nodes.Protocol.IterationCompleted>().Where(e => e.Node == node)];
        }
    }

    /// <summary>The vector <paramref name="sender"/> sent for <paramref name="stage"/> (first copy), if seen.</summary>
    public double[]? SentValue(Stage stage, int sender)
    {
        lock (gate)
        {
            return sent.TryGetValue((stage, sender), out var v) ? v : null;
        }
    }

    public IReadOnlyList<(int Node, SaveCheckpoint Checkpoint)> Checkpoints
    {
        get
        {
            lock (gate)
            {
                return [.. checkpoints];
            }
        }
    }

    public IReadOnlyList<(int Node, string Problem)> CheckpointProblems
    {
        get
        {
            lock (gate)
            {
                return [.. problems];
            }
        }
    }

    public void OnEvent(ProtocolEvent e)
    {
        lock (gate)
        {
            events.Add(e);
        }
    }

    public void OnSent(int node, ProtocolMessage message, int copies)
    {
        lock (gate)
        {
            sent.TryAdd((message.Stage, message.Sender), message.Vector);
        }
    }

    public void OnCheckpointSaved(int node, SaveCheckpoint checkpoint)
    {
        lock (gate)
        {
            checkpoints.Add((node, checkpoint));
        }
    }

    public void OnCheckpointProblem(int node, string problem)
    {
        lock (gate)
        {
            problems.Add((node, problem));
        }
    }

    /// <summary>Records a node event (the cluster's event hub calls this for every event it makes).</summary>
    internal void OnNodeEvent(NodeEvent e)
    {
        lock (gate)
        {
            nodeEvents.Add(e);
        }
    }
}
