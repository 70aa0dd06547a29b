using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Configuration;
using Decentral.Remote;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// Hostile input against a running deployment over Akka.Remote with TLS: random bytes on a cluster's port
/// (refused at the TLS handshake and counted), and protocol messages that fail validation (wrong
/// dimension, NaN, unknown sender) from a foreign actor system holding the deployment's certificate (an
/// insider, or TLS would refuse it first). The node drops and counts them per reason; the nodes keep training.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);
    private const int Iterations = 200;

    private readonly Deployment _deployment = new(output, Iterations, computeScale: "20ms");

    [Fact]
    public void Random_bytes_and_invalid_models_are_dropped_and_counted_while_training_goes_on()
    {
        var d = _deployment;
        var dimension = RunConfiguration.Load(d.ConfigFile).Spec.Training.Dimension;
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 5), Phase, "all three clusters at iteration 5");
        var c1 = d.Status(0)!;

        const int seed = 4242;
        output.WriteLine($"garbage seed {seed}");
        var random = new Random(seed);
        for (var i = 0; i < 5; i++)
        {
            var garbage = new byte[4096];
            random.NextBytes(garbage);
            Assert.True(SendAndWaitClosed(d.Ports[0], garbage), $"c1 kept garbage connection {i} open");
        }

        d.WaitUntil(() => d.Status(0) is { Transport.ConnectionsRefused: >= 5 }, Phase, "c1 counting the 5 garbage connections as refused at the TLS handshake");

        // Foreign systems speaking the protocol's format: one with the wrong dimension, one with the right
        // one sending a NaN and an unknown sender.
        var material = RemoteTls.Load(new TlsOptions(d.CertificateFile, null, Deployment.PasswordEnv, []));
        var guard = new TlsGuard(material, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var host = new RealTimeHost(Hocon(dimension + 1), setup: _ => guard.Setup());
        var sameDimension = new RealTimeHost(Hocon(dimension), setup: _ => guard.Setup());
        var wide = host.CreateSystem("intruder-wide");
        var narrow = sameDimension.CreateSystem("intruder");
        try
        {
            var target = Address.Parse(c1.Address);
            var toWide = RemoteRuntimes.Resolve(wide, target, new ProcessId(0, 0));
            var toNarrow = RemoteRuntimes.Resolve(narrow, target, new ProcessId(0, 0));
            var nan = new double[dimension];
            nan[dimension / 2] = double.NaN;
            void Attack()
            {
                toWide.Tell(new ModelMessage(1, 3, new double[dimension + 1]), ActorRefs.NoSender);
                toNarrow.Tell(new ModelMessage(1, 3, nan), ActorRefs.NoSender);
                toNarrow.Tell(new ModelMessage(1, 99, new double[dimension]), ActorRefs.NoSender);
            }

            ClusterStatusReport? counted = null;
            d.WaitUntil(() =>
            {
                Attack();
                return (counted = d.Status(0)) is { } s
                    && s.Transport.Rejections.GetValueOrDefault(nameof(WireRejection.DimensionMismatch)) >= 1
                    && s.Transport.Rejections.GetValueOrDefault(nameof(WireRejection.NonFinite)) >= 1
                    && s.Transport.Rejections.GetValueOrDefault(nameof(WireRejection.BadSender)) >= 1;
            }, Phase, "c1 counting the wrong dimension, the NaN and the unknown sender");
            Assert.True(counted!.Transport.Rejected >= 3 && counted.CodecRejections >= 3, $"{counted.Transport.Rejected} rejected, codec {counted.CodecRejections}");
            Assert.Equal(c1.Pid, counted.Pid);

            // Akka.Remote dropped each one with a log line that gives the codec's reason.
            d.WaitUntil(() => ReadShared(Path.Combine(d.StateDirectory, "c1.log")).Contains($"Rejected protocol message: dimension {dimension + 1}, expected {dimension}", StringComparison.Ordinal),
                Phase, "c1's log naming the rejected dimension");
        }
        finally
        {
            host.Terminate([wide], null);
            sameDimension.Terminate([narrow], null);
        }

        d.WaitForProgress(0, 10, Iterations, "c1 progressing after the attacks");

        var report = JsonSerializer.Deserialize<UpReport>(d.WaitForUp(TimeSpan.FromSeconds(120)), AdminJson.RunShaped)!;
        Assert.True(report.Completed);
        Assert.Equal(9, report.Final.LiveNodes);
        Assert.All(report.PerCluster, c => Assert.Equal(Iterations, c.Frontier));
        Assert.True(report.PerCluster[0].Rejected >= 3, $"c1's summary counted {report.PerCluster[0].Rejected} rejected messages");
    }

    public void Dispose() => _deployment.Dispose();

    private static string Hocon(int dimension) =>
        RemoteRuntimes.Hocon("127.0.0.1", 0, new ProtocolWireOptions { Dimension = dimension }, RemoteTuning.Default, tls: true, faultAdapters: true);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Connects, sends <paramref name="bytes"/>, and reports whether the node closed the connection (bounded).</summary>
    private static bool SendAndWaitClosed(int port, byte[] bytes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(IPAddress.Loopback, port);
        try
        {
            socket.Send(bytes);
            var buffer = new byte[4096];
            while (socket.Receive(buffer) > 0)
            {
                // Whatever the node answers, it must then hang up.
            }

            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
    }
}
