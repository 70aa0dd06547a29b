using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Remote;

/// <summary>One measured configuration of `decentral bench remote`.</summary>
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
    long Messages);

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
        var host = new RealTimeHost(RemoteRuntimes.Hocon("127.0.0.1", 0, options, RemoteTuning.Default));
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

            // One untimed iteration opens every association and warms the code paths.
            await ExchangeAsync(1, routes, models, arrivals, cancellationToken).ConfigureAwait(false);
            var serializedBefore = systems.Sum(s => ProtocolSerializer.Of(s).Counters.BytesEncoded);
            var clock = Stopwatch.StartNew();
            var iterations = 0;
            while (iterations < 3 || clock.Elapsed < duration)
            {
                await ExchangeAsync(iterations + 2, routes, models, arrivals, cancellationToken).ConfigureAwait(false);
                iterations++;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var messages = (long)iterations * clusters * (clusters - 1);
            var serialized = systems.Sum(s => ProtocolSerializer.Of(s).Counters.BytesEncoded) - serializedBefore;
            return new RemoteBenchResult(
                clusters, dimension, wire.ToString().ToLowerInvariant(), iterations, seconds, seconds * 1000 / iterations, iterations / seconds,
                messages * (double)dimension * sizeof(double) / seconds / 1e9, serialized / seconds / 1e9, messages);
        }
        finally
        {
            host.Terminate(systems, null);
        }
    }

    public static void WriteTable(IReadOnlyList<RemoteBenchResult> results, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{"clusters",8}{"d",10}{"wire",9}{"iterations",12}{"seconds",9}{"ms/it",10}{"payload GB/s",14}{"serialized GB/s",17}"));
        foreach (var r in results)
        {
            output.WriteLine(string.Create(inv,
                $"{r.Clusters,8}{r.Dimension,10}{r.Wire,9}{r.Iterations,12}{r.Seconds,9:F2}{r.MsPerIteration,10:F3}{r.PayloadGbps,14:F3}{r.SerializedGbps,17:F3}"));
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
