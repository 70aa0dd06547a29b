using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Serialization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;

namespace Decentral.Remote;

/// <summary>
/// One measured configuration of `decentral bench remote`: the product's path (<c>variant</c> "decentral")
/// or the plain baseline ("baseline", <see cref="RemoteBench.RunBaselineAsync"/>), with the GC settings the
/// measuring process ran with; <see cref="SpeedupOverBaseline"/> is the baseline's ms per iteration over
/// this one's, when a baseline of the same clusters and dimension was measured in the same run.
/// </summary>
public sealed record RemoteBenchResult(
    int Clusters,
    int Dimension,
    string Wire,
    int Iterations,
    double Seconds,
    double MsPerIteration,
    double IterationsPerSecond,
    double PayloadGbps,
    double SerializedGbps,
    long Messages,
    string Variant = "decentral",
    double? SpeedupOverBaseline = null,
    IReadOnlyDictionary<string, string>? Gc = null);

/// <summary>
/// Loopback throughput of Akka.Remote with the protocol serializer: W actor systems (one per cluster, as
/// W processes would have) in this process, each on its own 127.0.0.1 port, and per iteration every
/// system sends its d-dimensional model to every other one (the all-to-all exchange of one SGD
/// iteration, one node per cluster); an iteration ends when all W(W−1) models have been decoded and
/// delivered. Payload GB/s counts 8·d bytes per model (float32 too, so results compare); serialized GB/s
/// the serializer's output (without Akka's envelope and framing).
/// </summary>
internal static class RemoteBench
{
    private static readonly TimeSpan IterationTimeout = TimeSpan.FromSeconds(60);

    public static async Task<RemoteBenchResult> RunAsync(int clusters, int dimension, VectorEncoding wire, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var options = new ProtocolWireOptions { Dimension = dimension, Encoding = wire, ProcessCount = clusters };
        var m = await MeasureAsync(
            RemoteRuntimes.Hocon("127.0.0.1", 0, options, RemoteTuning.Default), clusters, dimension, duration,
            systems => systems.Sum(s => ProtocolSerializer.Of(s).Counters.BytesEncoded), cancellationToken).ConfigureAwait(false);
        return m.Result(wire.ToString().ToLowerInvariant(), m.Serialized, "decentral");
    }

    /// <summary>
    /// The plain baseline of issue 14 (what Akka.Remote does out of the box): default Akka settings but for
    /// the frame size a model needs (Akka would drop it otherwise), models through
    /// <see cref="BaselineModelSerializer"/> (a <see cref="BinaryWriter"/> of float64 values), the same
    /// all-to-all exchange as <see cref="RunAsync"/>. Run it in a process with .NET's default GC settings
    /// (`bench remote --baseline` starts one) to measure what the product's settings buy.
    /// </summary>
    public static async Task<RemoteBenchResult> RunBaselineAsync(int clusters, int dimension, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var frame = Math.Max(128_000, (8L * dimension) + 64 + 4096);
        var hocon = AkkaSettings.Empty.WithResource(typeof(RemoteBench).Assembly, "akka-bench-baseline.conf")
            .SetBytes("akka.remote.dot-netty.tcp.maximum-frame-size", frame)
            .Render();
        var m = await MeasureAsync(hocon, clusters, dimension, duration, _ => 0, cancellationToken).ConfigureAwait(false);
        return m.Result("float64", m.Messages * (double)BaselineModelSerializer.Length(dimension), "baseline");
    }

    /// <summary>What one measured exchange did: iterations in seconds, models delivered, serializer bytes counted.</summary>
    private sealed record Measurement(int Clusters, int Dimension, int Iterations, double Seconds, long Messages, long Serialized)
    {
        public RemoteBenchResult Result(string wire, double serializedBytes, string variant) => new(
            Clusters, Dimension, wire, Iterations, Seconds, Seconds * 1000 / Iterations, Iterations / Seconds,
            Messages * (double)Dimension * sizeof(double) / Seconds / 1e9, serializedBytes / Seconds / 1e9, Messages, variant, Gc: GcSettings());
    }

    /// <summary>
    /// W systems of <paramref name="hocon"/> on 127.0.0.1, one receiver each; one untimed iteration opens
    /// every association and warms the code paths, then all-to-all iterations for at least
    /// <paramref name="duration"/> (and at least 3); <paramref name="serializedSoFar"/> reads a serializer counter.
    /// </summary>
    private static async Task<Measurement> MeasureAsync(
        string hocon, int clusters, int dimension, TimeSpan duration, Func<IReadOnlyList<ActorSystem>, long> serializedSoFar, CancellationToken cancellationToken)
    {
        var host = new RealTimeHost(hocon);
        var systems = new List<ActorSystem>();
        try
        {
            var arrivals = new Arrivals(clusters * (clusters - 1));
            for (var c = 0; c < clusters; c++)
            {
                var system = host.CreateSystem($"c{c + 1}");
                systems.Add(system);
                system.ActorOf(Props.Create(() => new Receiver(arrivals)), "n1");
            }

            var routes = systems.Select(from => systems.Select(to => to == from
                ? ActorRefs.Nobody
                : ((ExtendedActorSystem)from).Provider.ResolveActorRef(new RootActorPath(RemoteRuntimes.AddressOf(to)) / "user" / "n1")).ToArray()).ToArray();
            var random = new Decentral.Agreement.SeededRandom(17);
            var models = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, dimension).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();

            await ExchangeAsync(1, routes, models, arrivals, cancellationToken).ConfigureAwait(false);
            var serializedBefore = serializedSoFar(systems);
            var clock = Stopwatch.StartNew();
            var iterations = 0;
            while (iterations < 3 || clock.Elapsed < duration)
            {
                await ExchangeAsync(iterations + 2, routes, models, arrivals, cancellationToken).ConfigureAwait(false);
                iterations++;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            return new Measurement(clusters, dimension, iterations, seconds, (long)iterations * clusters * (clusters - 1), serializedSoFar(systems) - serializedBefore);
        }
        finally
        {
            host.Terminate(systems, null);
        }
    }

    /// <summary>The GC settings this process runs with (what the runtime really applied), for the report.</summary>
    public static IReadOnlyDictionary<string, string> GcSettings()
    {
        var all = GC.GetConfigurationVariables();
        string[] keys = ["ServerGC", "ConcurrentGC", "GCGen0MaxBudget", "GCRegionSize", "LOHThreshold", "RetainVM"];
        var result = keys.Where(all.ContainsKey).ToDictionary(k => k, k => Convert.ToString(all[k], CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
        result["DOTNET_GCgen0size"] = Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "";
        return result;
    }

    public static void WriteTable(IReadOnlyList<RemoteBenchResult> results, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{"variant",10}{"clusters",9}{"d",10}{"wire",9}{"iterations",12}{"seconds",9}{"ms/it",10}{"payload GB/s",14}{"serialized GB/s",17}{"× baseline",12}"));
        foreach (var r in results)
        {
            var speedup = r.SpeedupOverBaseline is { } x ? x.ToString("F2", inv) : "";
            output.WriteLine(string.Create(inv,
                $"{r.Variant,10}{r.Clusters,9}{r.Dimension,10}{r.Wire,9}{r.Iterations,12}{r.Seconds,9:F2}{r.MsPerIteration,10:F3}{r.PayloadGbps,14:F3}{r.SerializedGbps,17:F3}{speedup,12}"));
        }

        foreach (var gc in results.Where(r => r.Gc is not null).GroupBy(r => r.Variant))
        {
            output.WriteLine($"GC of {gc.Key}: {string.Join(", ", gc.First().Gc!.Select(kv => $"{kv.Key}={kv.Value}"))}");
        }
    }

    private static async Task ExchangeAsync(int iteration, IActorRef[][] routes, double[][] models, Arrivals arrivals, CancellationToken cancellationToken)
    {
        var done = arrivals.Expect(iteration);
        for (var from = 0; from < routes.Length; from++)
        {
            var message = new ModelMessage(iteration, from, models[from]);
            for (var to = 0; to < routes.Length; to++)
            {
                if (to != from)
                {
                    routes[from][to].Tell(message, ActorRefs.NoSender);
                }
            }
        }

        try
        {
            await done.WaitAsync(IterationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"Iteration {iteration}: only {arrivals.Count} of {routes.Length * (routes.Length - 1)} models arrived within {IterationTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Counts delivered models of the current iteration and completes when all have arrived.</summary>
    private sealed class Arrivals(int perIteration)
    {
        private readonly Lock _gate = new();
        private int _iteration;
        private int _count;
        private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        public Task Expect(int iteration)
        {
            lock (_gate)
            {
                _iteration = iteration;
                _count = 0;
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _done.Task;
            }
        }

        public void OnArrival(ModelMessage m)
        {
            lock (_gate)
            {
                if (m.Iteration == _iteration && ++_count == perIteration)
                {
                    _done.TrySetResult();
                }
            }
        }
    }

    private sealed class Receiver : ReceiveActor
    {
        public Receiver(Arrivals arrivals) => Receive<ModelMessage>(arrivals.OnArrival);
    }
}

/// <summary>
/// The baseline's model serializer: what one writes without thinking about copies — a
/// <see cref="MemoryStream"/> and a <see cref="BinaryWriter"/>, one value at a time, float64, no
/// validation (bench only).
/// </summary>
public sealed class BaselineModelSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 7412;

    public override bool IncludeManifest => false;

    public static int Length(int dimension) => 12 + (8 * dimension);

    public override byte[] ToBinary(object obj)
    {
        var m = (ModelMessage)obj;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(m.Iteration);
            writer.Write(m.Sender);
            writer.Write(m.Vector.Length);
            foreach (var v in m.Vector)
            {
                writer.Write(v);
            }
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        var iteration = reader.ReadInt32();
        var sender = reader.ReadInt32();
        var model = new double[reader.ReadInt32()];
        for (var i = 0; i < model.Length; i++)
        {
            model[i] = reader.ReadDouble();
        }

        return new ModelMessage(iteration, sender, model);
    }
}
