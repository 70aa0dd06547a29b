using System.Security.Cryptography.X509Certificates;
using Decentral.Agreement;
using Decentral.Nodes.Network;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Decentral.Remote;
using Decentral.Simulation;
using Microsoft.Extensions.Logging;

namespace Decentral.TestKit;

/// <summary>
/// A whole decentralized-SGD cluster in one process for tests: one Akka actor system per cluster,
/// on the deterministic simulator (virtual time) or on Akka's thread pool (real time). Await
/// progress, read each node's model and state, inject faults by name ("c1" a cluster, "c1/n2" a node).
/// </summary>
public sealed class LocalCluster : IDisposable
{
    private LocalCluster(ClusterRuntime runtime, TestTime time)
    {
        Runtime = runtime;
        Time = time;
        Events = new EventRecorder();
        runtime.AddObserver(Events);
        Faults = new Faults(this);
        runtime.Start();
    }

    /// <summary>Starts <paramref name="spec"/> on <paramref name="simulator"/> (virtual time; the simulator's seed fixes the run).</summary>
    public static LocalCluster Simulated(ClusterRunSpec spec, Simulator simulator, ILoggerFactory? loggerFactory = null) =>
        new(SimulatedClusters.Create(spec, simulator, loggerFactory), TestTime.For(simulator));

    /// <summary>Starts <paramref name="spec"/> on Akka's thread pool (real time).</summary>
    public static LocalCluster RealTime(ClusterRunSpec spec, ILoggerFactory? loggerFactory = null) =>
        new(new ClusterRuntime(spec, RealTimeHost.For(spec), loggerFactory), TestTime.Real());

    /// <summary>
    /// Starts <paramref name="spec"/> over real Akka.Remote in real time: each cluster its own actor system
    /// on its own 127.0.0.1 port, every message between clusters through the protocol's binary serializer
    /// (models in <paramref name="encoding"/>), with mutual TLS pinned to a throw-away certificate when
    /// <paramref name="tls"/> is set — the transport `decentral node` uses between processes, inside one
    /// test process. Faults (<see cref="Faults"/>) act on each system's outgoing links as in the other modes.
    /// </summary>
    public static LocalCluster OverRemoting(
        ClusterRunSpec spec, ILoggerFactory? loggerFactory = null, bool tls = false, VectorEncoding encoding = VectorEncoding.Float64)
    {
        ArgumentNullException.ThrowIfNull(spec);
        TlsGuard? guard = null;
        if (tls)
        {
            var certificate = X509CertificateLoader.LoadPkcs12(RemoteTls.CreateDevelopmentPfx("decentral-testkit", 1, null), null);
            guard = new TlsGuard(
                new TlsMaterial(certificate, [RemoteTls.Normalize(certificate.Thumbprint)]),
                (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Decentral.TestKit.Tls"));
        }

        return Of(RemoteRuntimes.LoopbackCluster(spec, loggerFactory, encoding, tls: guard));
    }

    /// <summary>Starts an already-built runtime (e.g. one whose clusters talk over Akka.Remote) in real time.</summary>
    public static LocalCluster Of(ClusterRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var time = runtime.Host is SimulatedHost simulated ? TestTime.For(simulated.Simulator) : TestTime.Real();
        return new LocalCluster(runtime, time);
    }

    public ClusterRuntime Runtime { get; }

    public TestTime Time { get; }

    public EventRecorder Events { get; }

    public Faults Faults { get; }

    public ClusterLayout Layout => Runtime.Spec.Layout;

    public FaultyNetwork Network => Runtime.Network;

    public IReadOnlyList<string> NodeNames => [.. Runtime.Nodes.Select(n => n.Name)];

    /// <summary>The highest iteration any node completed.</summary>
    public int Frontier => Runtime.Frontier;

    public NodeSnapshot Node(string name) => Runtime.Nodes[Runtime.NodeIndex(name)].Snapshot;

    public NodeSnapshot Node(int index) => Runtime.Nodes[index].Snapshot;

    public int IndexOf(string name) => Runtime.NodeIndex(name);

    public IReadOnlyList<NodeSnapshot> LiveNodes() =>
        [.. Runtime.Nodes.Select(n => n.Snapshot).Where(s => !s.Crashed && s.Model.Length > 0)];

    public IReadOnlyList<ReadOnlyMemory<double>> LiveModels() => [.. LiveNodes().Select(n => n.Model)];

    /// <summary>The average of the live nodes' models.</summary>
    public double[] AverageModel()
    {
        var models = LiveModels();
        var mean = new double[models[0].Length];
        VectorMath.Mean(models, mean);
        return mean;
    }

    /// <summary>Euclidean diameter Δ₂ of the live nodes' models.</summary>
    public double DiameterL2() => VectorMath.DiameterL2(LiveModels());

    /// <summary>Waits (virtual or real time) until <paramref name="condition"/> holds; fails after <paramref name="max"/>.</summary>
    /// <remarks>Under the simulation the condition is checked after every event, so it stops at the exact instant.</remarks>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, string? message = null)
    {
        var limit = Time.RemainingOr(max);
        if (!Time.WaitUntil(condition, limit))
        {
            throw Time.Fail($"AwaitCondition: {message ?? "the condition"} did not hold within {TestTime.Format(limit)}");
        }
    }

    public void AwaitIteration(string node, int iteration, TimeSpan? max = null) =>
        AwaitCondition(() => Node(node).Iteration >= iteration || Node(node).Finished, max, $"{node} to reach iteration {iteration}");

    public void AwaitFrontier(int iteration, TimeSpan? max = null) =>
        AwaitCondition(() => Frontier >= iteration, max, $"some node to complete iteration {iteration}");

    /// <summary>Waits until every node that is not crashed has finished all iterations.</summary>
    public void AwaitFinished(TimeSpan? max = null) =>
        AwaitCondition(() => Runtime.IsDone, max, "every live node to finish");

    /// <summary>Lets time pass (runs the simulation for <paramref name="duration"/>; sleep-free waits in real time).</summary>
    public void RunFor(TimeSpan duration) => Time.Pass(duration);

    /// <summary>The network endpoint (cluster) a name stands for: "c1" or a node of it, "c1/n2".</summary>
    public string EndpointOf(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var cluster = Runtime.ClusterIndex(slash < 0 ? name : name[..slash]);
        if (slash >= 0)
        {
            Runtime.NodeIndex(name);
        }
        return Runtime.Spec.ClusterName(cluster);
    }

    public RunSummary Summarize() => Runtime.Summarize(Runtime.IsDone);

    public void Dispose() => Runtime.Dispose();
}
