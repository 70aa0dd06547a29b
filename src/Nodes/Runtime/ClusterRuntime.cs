using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Nodes.Checkpoints;
using Decentral.Nodes.Metrics;
using Decentral.Nodes.Models;
using Decentral.Nodes.Network;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// Runs a whole <see cref="ClusterRunSpec"/>: one Akka actor system per cluster (a cluster's nodes
/// share its registers), one <see cref="NodeActor"/> per process, a <see cref="FaultyNetwork"/>
/// between the clusters and one checkpoint writer. The <see cref="IActorHost"/> decides real or
/// virtual time; the actors are the same. Faults apply by name at any time and from the spec's
/// schedule. Completion is signalled by the last node to finish or crash, never polled.
/// </summary>
public sealed partial class ClusterRuntime : IDisposable
{
    private readonly ActorSystem?[] systems;
    private readonly bool[] local;
    private readonly NodeStatus[] statuses;
    private readonly ClusterMemory[] memories;
    private readonly IActorRef?[] nodeRefs;
    private readonly int[] incarnations;
    private readonly Func<ActorSystem, int, IActorRef>? remoteNode;
    private readonly RunCollector collector;
    private readonly Stopwatch wall = new();
    private readonly ILogger log;
    private readonly List<FaultRecord> faultLog = [];
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ModelStart modelStart;
    private IActorRef? writer;
    private bool started;
    private bool disposed;

    /// <param name="localClusters">Clusters hosted here (null: all); the others live in other processes.</param>
    /// <param name="remoteNode">
    /// For a node of another cluster: the ref a local system reaches it by (Akka.Remote). Required when
    /// some clusters live in other processes; when given, it is used for local clusters' nodes as well.
    /// </param>
    public ClusterRuntime(
        ClusterRunSpec spec,
        IActorHost host,
        ILoggerFactory? loggerFactory = null,
        IReadOnlyCollection<int>? localClusters = null,
        Func<ActorSystem, int, IActorRef>? remoteNode = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(host);
        spec.Validate();
        var layout = spec.Layout;
        if (localClusters is not null && (localClusters.Count == 0 || localClusters.Any(c => c < 0 || c >= layout.ClusterCount)))
        {
            throw new ArgumentException($"Local clusters must be a non-empty subset of 0…{layout.ClusterCount - 1}.", nameof(localClusters));
        }
        if (localClusters is not null && localClusters.Count < layout.ClusterCount && remoteNode is null)
        {
            throw new ArgumentException("Clusters in other processes need a way to reach their nodes.", nameof(remoteNode));
        }
        Spec = spec;
        Host = host;
        this.remoteNode = remoteNode;
        log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Decentral.Nodes.Runtime");
        // One reference instance fixes the run's dimension and x₁; each node's own instance must match it.
        modelStart = spec.Training.ReferenceStart();
        Evaluation = spec.Training.GlobalObjective();
        Network = new FaultyNetwork(host.Clock, SeededRandom.Derive(spec.Seed, SeedPurpose.Network), spec.NetworkLatency);
        Checkpoints = spec.CheckpointStore == CheckpointStoreKind.Sqlite
            ? new SqliteCheckpointStore(spec.CheckpointPath!, spec.CheckpointKeep)
            : new InMemoryCheckpointStore(spec.CheckpointKeep);
        systems = new ActorSystem?[layout.ClusterCount];
        local = new bool[layout.ClusterCount];
        memories = new ClusterMemory[layout.ClusterCount];
        statuses = new NodeStatus[layout.N];
        nodeRefs = new IActorRef?[layout.N];
        incarnations = new int[layout.N];
        for (var i = 0; i < layout.N; i++)
        {
            statuses[i] = new NodeStatus(i, spec.NodeName(i));
        }
        collector = new RunCollector(Evaluation, spec.MetricsEvery, statuses, () => Elapsed, wall);
        collector.Progress += OnProgress;
        collector.Failed += OnModelFailed;
        try
        {
            for (var c = 0; c < layout.ClusterCount; c++)
            {
                memories[c] = new ClusterMemory(layout.SizeOf(c));
                Network.AddEndpoint(spec.ClusterName(c));
                local[c] = localClusters is null || localClusters.Contains(c);
                if (local[c])
                {
                    systems[c] = host.CreateSystem(spec.ClusterName(c));
                }
            }
        }
        catch
        {
            // A later cluster's system failed to start (a port in use, bad settings): stop the ones that did.
            host.Terminate([.. systems.Where(s => s is not null).Select(s => s!)], null);
            Checkpoints.Dispose();
            throw;
        }
    }

    public ClusterRunSpec Spec { get; }

    public IActorHost Host { get; }

    public bool IsSimulated => Host.IsVirtual;

    public FaultyNetwork Network { get; }

    public ICheckpointStore Checkpoints { get; }

    /// <summary>The objective on the whole data set (for loss and ‖∇f‖² of models).</summary>
    public IObjective Evaluation { get; }

    /// <summary>The actor systems of the clusters hosted here (remote clusters are absent).</summary>
    public IReadOnlyList<ActorSystem> Systems => [.. systems.Where(s => s is not null).Select(s => s!)];

    /// <summary>Every node's status; nodes of clusters in other processes stay at their initial snapshot.</summary>
    public IReadOnlyList<NodeStatus> Nodes => statuses;

    /// <summary>Whether node <paramref name="index"/> runs in this process.</summary>
    public bool IsLocal(int index) => local[Spec.Layout.ProcessAt(index).Cluster];

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

    /// <summary>Always-on checks that failed inside a node during the run (empty when none did).</summary>
    public IReadOnlyList<InvariantViolated> InvariantViolations => collector.InvariantViolations;

    /// <summary>Nodes whose model went non-finite (step size too large for the objective); empty when none did.</summary>
    public IReadOnlyList<ModelDiverged> Divergences => collector.Divergences;

    /// <summary>
    /// Nodes whose model failed (threw, wrote NaN/∞, …): each was stopped as if crashed and the others went on;
    /// empty when none did.
    /// </summary>
    public IReadOnlyList<ModelFailed> ModelFailures => collector.Failures;

    /// <summary>True once a node reported an invariant violation or a diverged model: the run cannot succeed.</summary>
    public bool HasFailed => InvariantViolations.Count > 0 || Divergences.Count > 0;

    public long Bytes => collector.Bytes;

    /// <summary>Virtual time under the simulation, wall time otherwise.</summary>
    public TimeSpan Elapsed => Host.IsVirtual ? Host.Elapsed : wall.Elapsed;

    /// <summary>True when every node that is not crashed has finished all iterations.</summary>
    public bool IsDone
    {
        get
        {
            foreach (var s in statuses)
            {
                if (IsLocal(s.Index) && !s.IsCrashedOrFinished)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public bool IsStarted => started;

    /// <summary>Completes when every live local node has finished (or crashed).</summary>
    public Task Completion => done.Task;

    public void AddObserver(IRunObserver observer) => collector.Add(observer);

    public void SetMetricsSink(IMetricsSink? sink) => collector.SetSink(sink);

    /// <summary>The current incarnation's actor of node <paramref name="index"/> (null while crashed or remote).</summary>
    public IActorRef? NodeRef(int index) => Volatile.Read(ref nodeRefs[index]);

    /// <summary>Which node an actor path belongs to (any incarnation), or -1.</summary>
    public int NodeOfPath(ActorPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var c = Array.FindIndex(systems, s => s is not null && s.Name == path.Address.System);
        if (c < 0 || path.Elements.Count != 2 || path.Elements[0] != "user")
        {
            return -1;
        }
        var name = path.Name;
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var member = dash < 0 ? name : name[..dash];
        if (member.Length < 2 || member[0] != 'n' || !int.TryParse(member.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
        {
            return -1;
        }
        return m >= 1 && m <= Spec.Layout.SizeOf(c) ? Spec.Layout.IndexOf(new ProcessId(c, m - 1)) : -1;
    }

    /// <summary>Creates the checkpoint writer and the node actors, and arms the fault schedule.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (started)
        {
            throw new InvalidOperationException("The runtime was already started.");
        }
        started = true;
        wall.Start();
        var first = systems.First(s => s is not null)!;
        writer = first.ActorOf(CheckpointWriter.Props(Checkpoints, collector), Host.SharesSystem ? "decentral-checkpoints" : "checkpoints");
        for (var i = 0; i < Spec.Layout.N; i++)
        {
            if (IsLocal(i))
            {
                Spawn(i);
            }
        }
        foreach (var fault in Spec.Faults)
        {
            Arm(fault);
        }
        OnProgress();
    }

    /// <summary>Real time: waits until every live node finished, the timeout passed or the token fired.</summary>
    public async Task<bool> RunAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Host.IsVirtual)
        {
            throw new InvalidOperationException("This runtime is simulated: drive its simulator (Decentral.Simulation) instead.");
        }
        if (!started)
        {
            Start();
        }
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

    public RunSummary Summarize(bool completed) => RunSummaries.Of(this, completed, wall.Elapsed);

    /// <summary>Stops the nodes, lets the checkpoint writer finish what it holds, stops the systems, then closes the store.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        for (var i = 0; i < nodeRefs.Length; i++)
        {
            if (Interlocked.Exchange(ref nodeRefs[i], null) is { } node)
            {
                systems[Spec.Layout.ProcessAt(i).Cluster]!.Stop(node);
            }
        }
        Host.Terminate(Systems, writer);
        Checkpoints.Dispose();
        done.TrySetResult();
    }

    private void Spawn(int index)
    {
        var layout = Spec.Layout;
        var p = layout.ProcessAt(index);
        var system = systems[p.Cluster]!;
        var setup = new NodeActorSetup(
            index, Spec.NodeName(index), Spec.Protocol, () => Spec.Training.CreateWorkload(index, layout.N, modelStart, Spec.NodeName(index)),
            () => memories[p.Cluster], Checkpoints, writer!, PeersOf(system, p.Cluster), Spec.ResendInterval, statuses[index], collector);
        var name = ActorNamePrefix(p.Cluster) + NodeActorName(p) + (incarnations[index] == 0 ? string.Empty : "-" + (incarnations[index] + 1).ToString(CultureInfo.InvariantCulture));
        incarnations[index]++;
        Volatile.Write(ref nodeRefs[index], system.ActorOf(Props.Create(() => new NodeActor(setup)), name));
    }

    /// <summary>What a node of <paramref name="cluster"/> holds for each process: a link through the network.</summary>
    private IActorRef[] PeersOf(ActorSystem system, int cluster)
    {
        var layout = Spec.Layout;
        var provider = ((ExtendedActorSystem)system).Provider;
        var from = Spec.ClusterName(cluster);
        var peers = new IActorRef[layout.N];
        for (var j = 0; j < layout.N; j++)
        {
            var q = layout.ProcessAt(j);
            var to = Spec.ClusterName(q.Cluster);
            var index = j;
            // With remoteNode, every other cluster is reached through it, local ones too (each cluster
            // its own Akka.Remote system: the loopback deployments of tests and benchmarks).
            Func<IActorRef?> target = q.Cluster == cluster || (local[q.Cluster] && remoteNode is null)
                ? () => Volatile.Read(ref nodeRefs[index])
                : RemoteTarget(system, index);
            var path = new RootActorPath(new Address("akka", to)) / "user" / NodeActorName(q);
            peers[j] = new LinkRef(Network, from, to, path, target, provider, dropped: CountDropped);
        }
        return peers;
    }

    private Func<IActorRef?> RemoteTarget(ActorSystem system, int index)
    {
        var remote = remoteNode!(system, index);
        return () => remote;
    }

    /// <summary>Counts a message the fault layer dropped against the node that sent it.</summary>
    private void CountDropped(object message)
    {
        if (message is ProtocolMessage m && m.Sender >= 0 && m.Sender < statuses.Length)
        {
            statuses[m.Sender].CountDropped();
        }
    }

    /// <summary>In a shared system the node actors of every cluster sit side by side: their names start with the cluster's.</summary>
    private string ActorNamePrefix(int cluster)
    {
        if (!Host.SharesSystem)
        {
            return string.Empty;
        }

        var name = Spec.ClusterName(cluster);
        return (ActorPath.IsValidPathElement(name) ? name : "cluster" + (cluster + 1).ToString(CultureInfo.InvariantCulture)) + "-";
    }

    internal static string NodeActorName(ProcessId p) => "n" + (p.Member + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>A node's model failed: stop that incarnation as a crash (outside its own handler), recording why.</summary>
    private void OnModelFailed(ModelFailed failed)
    {
        var index = failed.Node;
        var incarnation = Volatile.Read(ref incarnations[index]);
        log.LogError("{Node} stopped: {Detail}", statuses[index].Name, failed.Detail);
        Host.Schedule(TimeSpan.Zero, () =>
        {
            if (Volatile.Read(ref incarnations[index]) == incarnation && !disposed)
            {
                statuses[index].MarkFailed(failed.Detail);
                CrashNode(index);
                OnProgress();
            }
        });
    }

    private void OnProgress()
    {
        if (started && IsDone)
        {
            done.TrySetResult();
        }
    }
}
