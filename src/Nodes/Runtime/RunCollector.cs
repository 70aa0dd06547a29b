using System.Diagnostics;
using Decentral.Nodes.Metrics;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// The runtime's own observer: frontier, finished nodes, message and byte counts, metrics, and the
/// iteration triggers of scheduled faults; forwards every call to extra observers (tests, checkers).
/// Thread-safe.
/// </summary>
internal sealed class RunCollector : IRunObserver
{
    private readonly object gate = new();
    private volatile IRunObserver[] observers = [];
    private readonly IObjective evaluation;
    private readonly int metricsEvery;
    private readonly IReadOnlyList<NodeStatus> statuses;
    private readonly Func<TimeSpan> virtualNow;
    private readonly Stopwatch wall;
    private readonly List<(int Iteration, Action Fire)> iterationTriggers = [];
    private readonly List<InvariantViolated> violations = [];
    private readonly List<ModelDiverged> divergences = [];
    private readonly List<ModelFailed> failures = [];
    private IMetricsSink? sink;
    private int frontier;
    private long messages;
    private long bytes;

    public RunCollector(IObjective evaluation, int metricsEvery, IReadOnlyList<NodeStatus> statuses, Func<TimeSpan> virtualNow, Stopwatch wall)
    {
        this.evaluation = evaluation;
        this.metricsEvery = metricsEvery;
        this.statuses = statuses;
        this.virtualNow = virtualNow;
        this.wall = wall;
    }

    /// <summary>Raised (outside the lock) when a node finishes or the frontier moves.</summary>
    public event Action? Progress;

    /// <summary>Raised (outside the lock, on the failing node's thread) when a node's model failed.</summary>
    public event Action<ModelFailed>? Failed;

    public int Frontier => Volatile.Read(ref frontier);

    public long Messages => Interlocked.Read(ref messages);

    public long Bytes => Interlocked.Read(ref bytes);

    public void SetSink(IMetricsSink? metrics) => sink = metrics;

    public void Add(IRunObserver observer)
    {
        lock (gate)
        {
            observers = [.. observers, observer];
        }
    }

    /// <summary>Calls <paramref name="fire"/> once, as soon as any node completes iteration <paramref name="iteration"/>.</summary>
    public void AtIteration(int iteration, Action fire)
    {
        var now = false;
        lock (gate)
        {
            if (frontier >= iteration)
            {
                now = true;
            }
            else
            {
                iterationTriggers.Add((iteration, fire));
            }
        }
        if (now)
        {
            fire();
        }
    }

    /// <summary>Invariant violations the nodes reported (the first <see cref="MaxViolationsKept"/>).</summary>
    public IReadOnlyList<InvariantViolated> InvariantViolations
    {
        get
        {
            lock (gate)
            {
                return [.. violations];
            }
        }
    }

    /// <summary>How many reported violations <see cref="InvariantViolations"/> keeps.</summary>
    public const int MaxViolationsKept = 16;

    /// <summary>Nodes whose own gradient step went non-finite (the first <see cref="MaxViolationsKept"/>).</summary>
    public IReadOnlyList<ModelDiverged> Divergences
    {
        get
        {
            lock (gate)
            {
                return [.. divergences];
            }
        }
    }

    /// <summary>Nodes whose model failed (the first <see cref="MaxViolationsKept"/>), in the order they failed.</summary>
    public IReadOnlyList<ModelFailed> Failures
    {
        get
        {
            lock (gate)
            {
                return [.. failures];
            }
        }
    }

    public void OnEvent(ProtocolEvent e)
    {
        if (e is ModelFailed failed)
        {
            lock (gate)
            {
                if (failures.Count < MaxViolationsKept)
                {
                    failures.Add(failed);
                }
            }
            Failed?.Invoke(failed);
        }
        if (e is InvariantViolated or ModelDiverged)
        {
            lock (gate)
            {
                if (e is InvariantViolated violated && violations.Count < MaxViolationsKept)
                {
                    violations.Add(violated);
                }
                if (e is ModelDiverged diverged && divergences.Count < MaxViolationsKept)
                {
                    divergences.Add(diverged);
                }
            }
        }
        List<Action>? fire = null;
        // The lock is taken only when the frontier moves (once per iteration, not per message).
        if (e is IterationCompleted c && c.Iteration > Volatile.Read(ref frontier))
        {
            lock (gate)
            {
                if (c.Iteration > frontier)
                {
                    Volatile.Write(ref frontier, c.Iteration);
                    for (var i = iterationTriggers.Count - 1; i >= 0; i--)
                    {
                        if (iterationTriggers[i].Iteration <= frontier)
                        {
                            (fire ??= []).Add(iterationTriggers[i].Fire);
                            iterationTriggers.RemoveAt(i);
                        }
                    }
                }
            }
        }
        foreach (var o in observers)
        {
            o.OnEvent(e);
        }
        if (e is IterationCompleted done)
        {
            WriteMetrics(done);
        }
        if (fire is not null)
        {
            // Fired in the order the faults were scheduled.
            for (var i = fire.Count - 1; i >= 0; i--)
            {
                fire[i]();
            }
        }
        if (e is IterationCompleted or NodeFinished)
        {
            Progress?.Invoke();
        }
    }

    public void OnSent(int node, ProtocolMessage message, int copies)
    {
        Interlocked.Add(ref messages, copies);
        Interlocked.Add(ref bytes, (long)copies * message.Vector.Length * sizeof(double));
        foreach (var o in observers)
        {
            o.OnSent(node, message, copies);
        }
    }

    public void OnCheckpointSaved(int node, SaveCheckpoint checkpoint)
    {
        foreach (var o in observers)
        {
            o.OnCheckpointSaved(node, checkpoint);
        }
    }

    public void OnCheckpointProblem(int node, string problem)
    {
        foreach (var o in observers)
        {
            o.OnCheckpointProblem(node, problem);
        }
    }

    public void OnCrashed(int node)
    {
        foreach (var o in observers)
        {
            o.OnCrashed(node);
        }
    }

    private void WriteMetrics(IterationCompleted e)
    {
        var target = sink;
        if (target is null || metricsEvery == 0 || e.Iteration % metricsEvery != 0)
        {
            return;
        }
        var gradient = new double[e.Model.Length];
        var loss = evaluation.Gradient(e.Model, gradient);
        var norm = Decentral.Agreement.VectorMath.SumOfSquares(gradient);
        var status = statuses[e.Node];
        var s = status.Snapshot;
        var metrics = new NodeMetrics(
            statuses[e.Node].Name, e.Iteration, loss, norm, s.SkippedIterations, s.SkippedStages,
            s.MessagesSent, s.MessagesReceived, status.MessagesDropped, s.CoordinatesSent * sizeof(double),
            s.CoordinatesReceived * sizeof(double), wall.Elapsed, virtualNow());
        lock (target)
        {
            target.Write(metrics);
        }
    }
}
