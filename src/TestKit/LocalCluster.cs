using System.Security.Cryptography;
using Decentral.Actors;
using Decentral.Agreement;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Microsoft.Extensions.Logging;

namespace Decentral.TestKit;

/// <summary>
/// A whole decentralized-SGD cluster in one process for tests: one actor system per cluster on the
/// simulator (virtual time) or the thread pool (real time). Await progress, read each node's model and
/// state, inject faults by name ("c1" a cluster, "c1/n2" a node) — the same commands as
/// <see cref="Faults"/> on bare actor systems.
/// </summary>
public sealed class LocalCluster : IFaultTargets, IDisposable
{
    private readonly IDisposable? owned;

    private LocalCluster(ClusterRuntime runtime, TestTime time, IDisposable? owned = null)
    {
        this.owned = owned;
        Runtime = runtime;
        Time = time;
        Events = new EventRecorder();
        runtime.AddObserver(Events);
        Faults = new Faults(this);
        runtime.Start();
    }

    /// <summary>Starts <paramref name="spec"/> on <paramref name="simulation"/> (virtual time).</summary>
    public static LocalCluster Simulated(ClusterRunSpec spec, Simulation simulation, ILoggerFactory? loggerFactory = null) =>
        new(ClusterRuntime.Simulated(spec, simulation, loggerFactory), TestTime.For(simulation));

    /// <summary>Starts <paramref name="spec"/> on the thread pool (real time).</summary>
    public static LocalCluster RealTime(ClusterRunSpec spec, ILoggerFactory? loggerFactory = null) =>
        new(ClusterRuntime.RealTime(spec, loggerFactory), TestTime.Real());

    /// <summary>
    /// Starts <paramref name="spec"/> on the thread pool with every cluster's actor system listening on
    /// its own 127.0.0.1 port and all traffic between clusters crossing real TCP connections: framed,
    /// authenticated with a random secret, encoded by the protocol's wire codec. Faults act on the
    /// fault layer over the TCP transport, as in a <c>decentral node</c> process.
    /// </summary>
    public static LocalCluster Tcp(ClusterRunSpec spec, ILoggerFactory? loggerFactory = null, VectorEncoding encoding = VectorEncoding.Float64)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var codec = new ProtocolWireCodec(ProtocolWireOptions.For(spec, encoding));
        var tcp = new TcpTransport(codec, new TcpTransportSettings { Secret = RandomNumberGenerator.GetBytes(32) }, loggerFactory);
        try
        {
            var ports = LoopbackPorts.Free(spec.Layout.ClusterCount);
            var addresses = Enumerable.Range(0, spec.Layout.ClusterCount)
                .Select(c => new Address(spec.ClusterName(c), "127.0.0.1", ports[c]))
                .ToArray();
            var runtime = ClusterRuntime.Distributed(spec, [.. Enumerable.Range(0, addresses.Length)], tcp, c => addresses[c], loggerFactory);
            return new LocalCluster(runtime, TestTime.Real(), tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public ClusterRuntime Runtime { get; }

    public TestTime Time { get; }

    public EventRecorder Events { get; }

    public Faults Faults { get; }

    public ClusterLayout Layout => Runtime.Spec.Layout;

    public FailureInjectorTransport Network => Runtime.Network;

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

    /// <summary>Lets time pass (runs the simulation for <paramref name="duration"/>; sleeps-free waits in real time).</summary>
    public void RunFor(TimeSpan duration) => Time.Pass(duration);

    public Address ResolveAddress(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var cluster = Runtime.ClusterIndex(slash < 0 ? name : name[..slash]);
        if (slash >= 0)
        {
            Runtime.NodeIndex(name);
        }
        return Runtime.AddressOf(cluster);
    }

    public void Crash(string name) => Runtime.Crash(name);

    public void Restart(string name) => Runtime.Restart(name);

    public RunSummary Summarize() => Runtime.Summarize(Runtime.IsDone);

    public void Dispose()
    {
        Runtime.Dispose();
        owned?.Dispose();
    }
}
