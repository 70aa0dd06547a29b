using Akka.Actor;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// Feeds one run's observations to the invariants: protocol events, messages sent and checkpoints
/// (as an <see cref="IRunObserver"/>), and every simulation event (as the simulation's trace hook),
/// after which it inspects the state the event changed (buffers, register arrays, resumed models).
/// Keeps the first violation; the runner stops the run there. Single-threaded (the simulation's thread).
/// </summary>
public sealed class InvariantMonitor : IRunObserver
{
    private readonly ClusterRuntime runtime;
    private readonly Simulator simulator;
    private readonly TraceLog trace;
    private readonly Dictionary<ActorPath, int> nodeOfPath = [];
    private readonly bool[] finished;
    private readonly bool[] crashed;
    private int liveUnfinished;
    private bool closed;

    public InvariantMonitor(ClusterRuntime runtime, Simulator simulator, TraceLog trace, BoundedBuffersInvariant buffers, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(buffers);
        this.runtime = runtime;
        this.simulator = simulator;
        this.trace = trace;
        var options = runtime.Spec.Protocol;
        Validity = new ValidityInvariant(Sent);
        Quorum = new QuorumInvariant(options.Layout, options.Quorum);
        Buffers = buffers;
        Checkpoints = new CheckpointInvariant(runtime.Spec.CheckpointKeep);
        Contraction = new ContractionInvariant(Sent);
        Liveness = new LivenessInvariant(epsilon);
        var layout = options.Layout;
        finished = new bool[layout.N];
        crashed = new bool[layout.N];
        Failures = new NodeFailureInvariant(layout.N);
        liveUnfinished = layout.N;
    }

    /// <summary>Raised (on the node's turn) when the highest completed iteration grows.</summary>
    public event Action<int>? FrontierAdvanced;

    public SentLog Sent { get; } = new();

    public ValidityInvariant Validity { get; }

    public QuorumInvariant Quorum { get; }

    public BoundedBuffersInvariant Buffers { get; }

    public CheckpointInvariant Checkpoints { get; }

    public ContractionInvariant Contraction { get; }

    public LivenessInvariant Liveness { get; }

    public NodeFailureInvariant Failures { get; }

    public Violation? Violation { get; private set; }

    /// <summary>The trace's last lines when the violation was found.</summary>
    public IReadOnlyList<string> TailAtViolation { get; private set; } = [];

    public int Frontier { get; private set; }

    public long StagesCompleted { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Checkpoints the writer saved for a node after the node had crashed (asked for before the crash).</summary>
    public int CheckpointsSavedAfterCrash { get; private set; }

    /// <summary>True when every node is finished or crashed (kept incrementally: checked after every event).</summary>
    public bool AllLiveFinished => liveUnfinished == 0;

    /// <summary>Ends the run's observation: what nodes and the checkpoint writer report afterwards (during shutdown) is ignored.</summary>
    public void Close() => closed = true;

    public void OnEvent(ProtocolEvent e)
    {
        if (closed)
        {
            return;
        }
        trace.Protocol(e);
        switch (e)
        {
            case StageCompleted c:
                StagesCompleted++;
                Report(Quorum.Name, Quorum.Check(c));
                Report(Validity.Name, Validity.Check(c));
                Report(Contraction.Name, Contraction.OnCompleted(c));
                break;
            case IterationCompleted i:
                Checkpoints.OnIterationCompleted(i);
                if (i.Iteration > Frontier)
                {
                    Frontier = i.Iteration;
                    FrontierAdvanced?.Invoke(Frontier);
                }
                break;
            case NodeStarted s:
                SetFinished(s.Node, false);
                Report(Failures.Name, Failures.OnNodeStarted(s));
                Report(Checkpoints.Name, Checkpoints.OnNodeStarted(s));
                break;
            case NodeFinished f:
                SetFinished(f.Node, true);
                break;
            case MessageRejected:
                Rejected++;
                break;
            case ModelDiverged d:
                Report(Failures.Name, $"node {d.Node}: its model became non-finite in iteration {d.Iteration} (η = {d.StepSize})");
                break;
            case InvariantViolated v:
                // The product's own always-on checks (see Decentral.Agreement.Invariant), by their names.
                Report(v.Invariant, $"node {v.Node}: {v.Detail}");
                break;
        }
    }

    public void OnSent(int node, ProtocolMessage message, int copies)
    {
        if (closed)
        {
            return;
        }
        Sent.Record(message);
        trace.Sent(node, message, copies);
    }

    public void OnCheckpointSaved(int node, SaveCheckpoint checkpoint)
    {
        if (closed)
        {
            return;
        }
        if (crashed[node])
        {
            CheckpointsSavedAfterCrash++;
        }
        trace.Note($"{runtime.Spec.NodeName(node)} saved checkpoint t{checkpoint.Iteration}, incarnation {checkpoint.Incarnation}, model {TraceLog.VectorHash(checkpoint.Model)}");
        Report(Checkpoints.Name, Checkpoints.OnCheckpointSaved(node, checkpoint));
    }

    public void OnCheckpointProblem(int node, string problem)
    {
        if (closed)
        {
            return;
        }
        trace.Note($"{runtime.Spec.NodeName(node)} checkpoint problem: {problem}");
        Checkpoints.OnCheckpointProblem(node, problem);
    }

    /// <summary>The simulation's trace hook: runs after every event.</summary>
    public void OnSimulationEvent(SimulationEvent e)
    {
        trace.Simulation(e);
        if (e.Kind == SimulationEventKind.Delivery && e.Recipient is { } path && NodeOf(path) is var node && node >= 0)
        {
            var snapshot = runtime.Nodes[node].Snapshot;
            Report(Buffers.Name, Buffers.CheckNode(node, snapshot.BufferedStages));
            var cluster = runtime.Spec.Layout.ProcessAt(node).Cluster;
            Report(Buffers.Name, Buffers.CheckCluster(cluster, runtime.RegisterInstances(cluster)));
        }
        if (Checkpoints.PendingResumes.Count > 0)
        {
            foreach (var n in Checkpoints.PendingResumes.ToList())
            {
                var s = runtime.Nodes[n].Snapshot;
                Report(Checkpoints.Name, Checkpoints.CheckResumedModel(n, s.Incarnation, s.Model.Span));
            }
        }
    }

    /// <summary>
    /// The fault driver crashed or restarted node <paramref name="node"/>. A restarted node counts as
    /// unfinished until it reports NodeFinished again (its actor starts a little later).
    /// </summary>
    public void SetCrashed(int node, bool isCrashed)
    {
        if (!isCrashed)
        {
            Failures.ExpectStart(node);
        }
        Set(node, isCrashed, isCrashed && finished[node]);
    }

    /// <summary>Records a violation found outside the observer calls (end-of-run checks).</summary>
    public void Report(string invariant, string? problem)
    {
        if (problem is null || Violation is not null)
        {
            return;
        }
        Violation = new Violation(invariant, problem, simulator.Now, simulator.EventCount);
        TailAtViolation = trace.Tail();
    }

    /// <summary>The node an actor path belongs to (any incarnation: n2, n2-2, …), or -1; cached, as every delivery asks.</summary>
    private int NodeOf(ActorPath path)
    {
        if (!nodeOfPath.TryGetValue(path, out var node))
        {
            node = runtime.NodeOfPath(path);
            nodeOfPath.Add(path, node);
        }
        return node;
    }

    private void SetFinished(int node, bool isFinished) => Set(node, crashed[node], isFinished);

    private void Set(int node, bool isCrashed, bool isFinished)
    {
        var wasCounted = !crashed[node] && !finished[node];
        crashed[node] = isCrashed;
        finished[node] = isFinished;
        var isCounted = !isCrashed && !isFinished;
        liveUnfinished += (isCounted ? 1 : 0) - (wasCounted ? 1 : 0);
    }
}
