using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;

namespace Decentral.Remote;

/// <summary>
/// What the admin endpoint reports beyond node snapshots: for each local node, where this process
/// started it (from a checkpoint or not, at which iteration) and the first iteration it completed
/// afterwards — the evidence that a restarted node skipped to the frontier instead of replaying.
/// </summary>
internal sealed class NodeTracker : IRunObserver
{
    private readonly object _gate = new();
    private readonly Dictionary<int, Start> _starts = [];

    public Start? StartOf(int node)
    {
        lock (_gate)
        {
            return _starts.GetValueOrDefault(node);
        }
    }

    public void OnEvent(ProtocolEvent e)
    {
        lock (_gate)
        {
            switch (e)
            {
                case NodeStarted s:
                    _starts[s.Node] = new Start(s.FromCheckpoint, s.Stage.Iteration, s.Incarnation, null);
                    break;
                case IterationCompleted c when _starts.TryGetValue(c.Node, out var start) && start.FirstCompleted is null:
                    _starts[c.Node] = start with { FirstCompleted = c.Iteration };
                    break;
            }
        }
    }

    public void OnSent(int node, ProtocolMessage message, int copies)
    {
    }

    public void OnCheckpointSaved(int node, SaveCheckpoint checkpoint)
    {
    }

    public void OnCheckpointProblem(int node, string problem)
    {
    }

    /// <summary>How a node (re)started in this process.</summary>
    internal sealed record Start(bool FromCheckpoint, int Iteration, int Incarnation, int? FirstCompleted);
}
