using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Decentral.Actors;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Remote;

/// <summary>One measured configuration of `decentral bench tcp`.</summary>
public sealed record TcpBenchResult(
    int Clusters,
    int Dimension,
    string Wire,
    int Iterations,
    double Seconds,
    double IterationsPerSecond,
    double PayloadGBps,
    double WireGBps,
    long Messages);

/// <summary>
/// Loopback throughput of the TCP transport with the protocol codec, HMAC and validation: m transports
/// (one per cluster, as m processes would have) on 127.0.0.1, and per iteration every cluster sends its
/// d-dimensional model to every other cluster (the all-to-all exchange of one SGD iteration, one node per
/// cluster); an iteration ends when all m(m−1) models are decoded at their destinations. Payload GB/s
/// counts model bytes (8·d per message in float64), wire GB/s every byte on the sockets.
/// </summary>
internal static class TcpBench
{
    public static async Task<TcpBenchResult> RunAsync(int clusters, int dimension, VectorEncoding wire, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var codec = new ProtocolWireCodec(new ProtocolWireOptions { Dimension = dimension, Encoding = wire, ProcessCount = clusters });
        var settings = new TcpTransportSettings
        {
            Secret = TcpTransportSettings.SecretFromText("bench"),
            MaxFrameBytes = (int)Math.Min(TcpTransportSettings.MaxMaxFrameBytes, RemoteOptionsReader.NeededFrame(dimension, wire)),
        };
        var addresses = Enumerable.Range(0, clusters).Select(c => new Address($"c{c + 1}", "127.0.0.1", FreePort())).ToArray();
        var arrivals = new Arrivals(clusters * (clusters - 1));
        var transports = new List<TcpTransport>();
        try
        {
            foreach (var address in addresses)
            {
                var transport = new TcpTransport(codec, settings);
                transports.Add(transport);
                transport.Bind(address, arrivals.OnArrival);
            }

            var random = new Random(17);
            var models = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, dimension).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();
            var recipients = addresses.Select(a => new ActorPath(a, ["user", "n1"])).ToArray();

            // One untimed iteration connects every link and warms the code paths.
            await ExchangeAsync(1, transports, addresses, recipients, models, arrivals, cancellationToken).ConfigureAwait(false);
            var bytesBefore = transports.Sum(t => t.Counters.BytesSent);
            var clock = Stopwatch.StartNew();
            var iterations = 0;
            while (iterations < 3 || clock.Elapsed < duration)
            {
                await ExchangeAsync(iterations + 2, transports, addresses, recipients, models, arrivals, cancellationToken).ConfigureAwait(false);
                iterations++;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var messages = (long)iterations * clusters * (clusters - 1);
            var wireBytes = transports.Sum(t => t.Counters.BytesSent) - bytesBefore;
            return new TcpBenchResult(
                clusters, dimension, wire.ToString().ToLowerInvariant(), iterations, seconds, iterations / seconds,
                messages * (double)dimension * sizeof(double) / seconds / 1e9, wireBytes / seconds / 1e9, messages);
        }
        finally
        {
            foreach (var transport in transports)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public static void WriteTable(IReadOnlyList<TcpBenchResult> results, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{"clusters",8}{"d",10}{"wire",9}{"iterations",12}{"seconds",9}{"it/s",10}{"payload GB/s",14}{"wire GB/s",11}"));
        foreach (var r in results)
        {
            output.WriteLine(string.Create(inv,
                $"{r.Clusters,8}{r.Dimension,10}{r.Wire,9}{r.Iterations,12}{r.Seconds,9:F2}{r.IterationsPerSecond,10:F1}{r.PayloadGBps,14:F3}{r.WireGBps,11:F3}"));
        }
    }

    private static async Task ExchangeAsync(
        int iteration, List<TcpTransport> transports, Address[] addresses, ActorPath[] recipients, double[][] models, Arrivals arrivals, CancellationToken cancellationToken)
    {
        var done = arrivals.Expect(iteration);
        for (var from = 0; from < addresses.Length; from++)
        {
            var message = new ModelMessage(iteration, from, models[from]);
            for (var to = 0; to < addresses.Length; to++)
            {
                if (to != from)
                {
                    transports[from].Send(new TransportEnvelope(addresses[from], recipients[to], null, message));
                }
            }
        }

        await done.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Counts decoded models of the current iteration and completes when all have arrived.</summary>
    private sealed class Arrivals(int perIteration)
    {
        private readonly object _gate = new();
        private int _iteration;
        private int _count;
        private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

        public void OnArrival(TransportEnvelope envelope)
        {
            lock (_gate)
            {
                if (envelope.Message is ModelMessage m && m.Iteration == _iteration && ++_count == perIteration)
                {
                    _done.TrySetResult();
                }
            }
        }
    }
}
