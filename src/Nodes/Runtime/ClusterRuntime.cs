using System.Diagnostics;
using Decentral.Actors;
using Decentral.Agreement;
using Decentral.Nodes.Checkpoints;
using Decentral.Nodes.Metrics;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// Runs a whole <see cref="ClusterRunSpec"/> in one process: one actor system per cluster, one node
/// actor per process, an in-memory transport under the fault layer, and either the deterministic
/// simulation (virtual time) or the thread pool (real time). Faults can be applied by name at any
/// time and are applied automatically from the spec's schedule.
/// </summary>
public sealed partial class ClusterRuntime : IDisposable
{
    private readonly ActorSystem?[] systems;
    private readonly Address[] addresses;
    private readonly bool[] local;
    private readonly NodeStatus[] statuses;
    private readonly ClusterMemory[] memories;
    private readonly IActorRef?[] nodeRefs;
    private readonly RunCollector collector;
    private readonly Stopwatch wall = new();
    private readonly ILogger log;
    private readonly List<FaultRecord> faultLog = [];
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ITimer> timers = [];
    private bool started;

    private ClusterRuntime(
        ClusterRunSpec spec,
        Simulation? simulation,
        ILoggerFactory? loggerFactory,
        ITransport? transport = null,
        IReadOnlyCollection<int>? localClusters = null,
        Func<int, Address>? addressOf = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        Simulation = simulation;
        var logs = loggerFactory ?? NullLoggerFactory.Instance;
        log = logs.CreateLogger("Decentral.Nodes.Runtime");
        var layout = spec.Layout;
        Evaluation = spec.Training.GlobalObjective();
        if (simulation is not null)
        {
            Time = simulation.Time;
            Network = simulation.Network;
        }
        else
        {
            Time = TimeProvider.System;
            Network = new FailureInjectorTransport(
                transport ?? new InMemoryTransport(Time, spec.NetworkLatency), Time, (long)(spec.Seed & long.MaxValue));
        }
        Checkpoints = spec.CheckpointStore == CheckpointStoreKind.Sqlite
            ? new SqliteCheckpointStore(spec.CheckpointPath!, spec.CheckpointKeep)
            : new InMemoryCheckpointStore(spec.CheckpointKeep);
        systems = new ActorSystem?[layout.ClusterCount];
        addresses = new Address[layout.ClusterCount];
        local = new bool[layout.ClusterCount];
        memories = new ClusterMemory[layout.ClusterCount];
        statuses = new NodeStatus[layout.N];
        nodeRefs = new IActorRef?[layout.N];
        for (var i = 0; i < layout.N; i++)
        {
            statuses[i] = new NodeStatus(i, spec.NodeName(i));
        }
        collector = new RunCollector(Evaluation, spec.MetricsEvery, statuses, () => Elapsed, wall);
        collector.Progress += OnProgress;
        var settings = new ActorSystemSettings { LoggerFactory = logs };
        for (var c = 0; c < layout.ClusterCount; c++)
        {
            memories[c] = new ClusterMemory(layout.SizeOf(c));
            addresses[c] = addressOf?.Invoke(c) ?? new Address(spec.ClusterName(c));
            local[c] = localClusters is null || localClusters.Contains(c);
            if (!local[c])
            {
                continue;
            }
            systems[c] = simulation is not null
                ? simulation.CreateSystem(spec.ClusterName(c), settings)
                : ActorSystem.Create(spec.ClusterName(c), settings with { Transport = Network, Address = addresses[c] });
            addresses[c] = systems[c]!.Address;
        }
    }

    public static ClusterRuntime Simulated(ClusterRunSpec spec, ILoggerFactory? loggerFactory = null, SimulationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var simSettings = (settings ?? SimulationSettings.Default) with { NetworkLatency = spec.NetworkLatency };
        return new ClusterRuntime(spec, new Simulation((long)(spec.Seed & long.MaxValue), simSettings), loggerFactory);
    }

    /// <summary>Simulated on an existing simulation (e.g. a TestKit's): its seed drives network and interleavings.</summary>
    public static ClusterRuntime Simulated(ClusterRunSpec spec, Simulation simulation, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        return new ClusterRuntime(spec, simulation, loggerFactory);
    }

    public static ClusterRuntime RealTime(ClusterRunSpec spec, ILoggerFactory? loggerFactory = null) => new(spec, null, loggerFactory);

    /// <summary>
    /// Real time, hosting only <paramref name="localClusters"/> in this process; the other clusters live
    /// in other processes at <paramref name="addressOf"/>, reached through <paramref name="transport"/>
    /// (TCP). The fault layer wraps the transport, so partitions and delays apply to this process's links.
    /// </summary>
    public static ClusterRuntime Distributed(
        ClusterRunSpec spec, IReadOnlyCollection<int> localClusters, ITransport transport, Func<int, Address> addressOf, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(localClusters);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(addressOf);
        if (localClusters.Count == 0 || localClusters.Any(c => c < 0 || c >= spec.Layout.ClusterCount))
        {
            throw new ArgumentException($"Local clusters must be a non-empty subset of 0…{spec.Layout.ClusterCount - 1}.", nameof(localClusters));
        }
        return new ClusterRuntime(spec, null, loggerFactory, transport, localClusters, addressOf);
    }

    public ClusterRunSpec Spec { get; }

    public Simulation? Simulation { get; }

    public bool IsSimulated => Simulation is not null;

    public TimeProvider Time { get; }

    public FailureInjectorTransport Network { get; }

    public ICheckpointStore Checkpoints { get; }

    /// <summary>The objective on the whole data set (for loss and ‖∇f‖² of models).</summary>
    public IObjective Evaluation { get; }

    /// <summary>The actor systems of the clusters hosted here (remote clusters are absent).</summary>
    public IReadOnlyList<ActorSystem> Systems => [.. systems.Where(s => s is not null).Select(s => s!)];

    /// <summary>Every node's status; nodes of clusters in other processes stay at their initial snapshot.</summary>
    public IReadOnlyList<NodeStatus> Nodes => statuses;

    /// <summary>Whether node <paramref name="index"/> runs in this process.</summary>
    public bool IsLocal(int index) => local[Spec.Layout.ProcessAt(index).Cluster];

    public Address AddressOf(int cluster) => addresses[cluster];

    public IReadOnlyList<FaultRecord> FaultLog
    {
        get
        {
            lock (faultLog)
            {
                return [.. faultLog];
            }
        }
    }

    /// <summary>The highest iteration any node has completed.</summary>
    public int Frontier => collector.Frontier;

    public long Messages => collector.Messages;

    /// <summary>Virtual time under the simulation, wall time otherwise.</summary>
    public TimeSpan Elapsed => Simulation?.Now ?? wall.Elapsed;

    /// <summary>True when every node that is not crashed has finished all iterations.</summary>
    public bool IsDone => statuses.Where(s => IsLocal(s.Index)).All(s => s.Snapshot is { } n && (n.Crashed || n.Finished));

    public void AddObserver(IRunObserver observer) => collector.Add(observer);

    public void SetMetricsSink(IMetricsSink? sink) => collector.SetSink(sink);

    /// <summary>Creates the node actors and arms the fault schedule.</summary>
    public void Start()
    {
        if (started)
        {
            throw new InvalidOperationException("The runtime was already started.");
        }
        started = true;
        wall.Start();
        var layout = Spec.Layout;
        var peers = Enumerable.Range(0, layout.N).Select(PathOf).ToArray();
        for (var i = 0; i < layout.N; i++)
        {
            var cluster = layout.ProcessAt(i).Cluster;
            if (!local[cluster])
            {
                continue;
            }
            var index = i;
            var setup = new NodeActorSetup(
                index, Spec.NodeName(index), Spec.Protocol, () => Spec.Training.CreateWorkload(index, layout.N),
                () => memories[cluster], Checkpoints, peers, Spec.ResendInterval, statuses[index], collector);
            nodeRefs[i] = systems[cluster]!.ActorOf(Props.Create(() => new NodeActor(setup)), NodeActorName(layout.ProcessAt(i)));
        }
        foreach (var fault in Spec.Faults)
        {
            Arm(fault);
        }
    }

    /// <summary>
    /// Simulation only: runs until every live node finished or <paramref name="maxVirtualTime"/> passed,
    /// in slices of <paramref name="slice"/> virtual time, calling <paramref name="onSlice"/> after each.
    /// </summary>
    public bool RunSimulated(TimeSpan maxVirtualTime, Action? onSlice = null, TimeSpan? slice = null)
    {
        var sim = Simulation ?? throw new InvalidOperationException("This runtime runs in real time; use RunAsync.");
        if (!started)
        {
            Start();
        }
        var step = slice ?? TimeSpan.FromMilliseconds(100);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero, nameof(slice));
        var deadline = sim.Now + maxVirtualTime;
        while (!IsDone && sim.Now < deadline)
        {
            var left = deadline - sim.Now;
            sim.RunUntil(() => IsDone, left < step ? left : step);
            onSlice?.Invoke();
        }
        return IsDone;
    }

    /// <summary>Real time only: waits until every live node finished, the timeout passed or the token fired.</summary>
    public async Task<bool> RunAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Simulation is not null)
        {
            throw new InvalidOperationException("This runtime is simulated; use RunSimulated.");
        }
        if (!started)
        {
            Start();
        }
        OnProgress();
        try
        {
            await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return IsDone;
        }
    }

    public IReadOnlyList<NodeSnapshot> Snapshot() => [.. statuses.Select(s => s.Snapshot)];

    /// <summary>Global index of a node named like "c2/n3".</summary>
    public int NodeIndex(string name)
    {
        for (var i = 0; i < statuses.Length; i++)
        {
            if (string.Equals(statuses[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new ArgumentException($"Unknown node '{name}'; nodes are {statuses[0].Name}…{statuses[^1].Name}.", nameof(name));
    }

    /// <summary>Index of a cluster named like "c2".</summary>
    public int ClusterIndex(string name)
    {
        for (var c = 0; c < systems.Length; c++)
        {
            if (string.Equals(Spec.ClusterName(c), name, StringComparison.Ordinal))
            {
                return c;
            }
        }
        throw new ArgumentException(
            $"Unknown cluster '{name}'; clusters are {string.Join(", ", Enumerable.Range(0, systems.Length).Select(Spec.ClusterName))}.", nameof(name));
    }

    public RunSummary Summarize(bool completed)
    {
        var live = statuses.Where(s => IsLocal(s.Index)).Select(s => s.Snapshot).Where(s => !s.Crashed && s.Model.Length > 0).ToList();
        var models = live.Select(s => s.Model).ToList();
        FinalState final;
        if (models.Count == 0)
        {
            final = new FinalState(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }
        else
        {
            var mean = new double[models[0].Length];
            VectorMath.Mean(models, mean);
            var gradient = new double[mean.Length];
            var loss = Evaluation.Gradient(mean, gradient);
            var norm = System.Numerics.Tensors.TensorPrimitives.Dot<double>(gradient, gradient);
            final = new FinalState(loss, norm, VectorMath.DiameterCw(models), VectorMath.DiameterL2(models), models.Count);
        }
        return new RunSummary(
            IsSimulated ? "simulate" : "run",
            statuses.Count(s => IsLocal(s.Index)),
            local.Count(l => l),
            Spec.Protocol.Iterations,
            Spec.Seed,
            wall.Elapsed.TotalSeconds,
            Elapsed.TotalSeconds,
            final,
            FaultLog,
            statuses.Sum(s => s.Snapshot.SkippedIterations),
            collector.Messages,
            collector.Bytes,
            completed);
    }

    public void Dispose()
    {
        foreach (var t in timers)
        {
            t.Dispose();
        }
        if (Simulation is null)
        {
            foreach (var s in systems)
            {
                _ = s?.Terminate();
            }
        }
        Checkpoints.Dispose();
    }

    private ActorPath PathOf(int index)
    {
        var p = Spec.Layout.ProcessAt(index);
        return new ActorPath(addresses[p.Cluster], ["user", NodeActorName(p)]);
    }

    private static string NodeActorName(ProcessId p) => "n" + (p.Member + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void OnProgress()
    {
        if (IsDone)
        {
            done.TrySetResult();
        }
    }
}
