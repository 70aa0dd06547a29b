using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Decentral.Actors;
using Decentral.Host.Remote;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Wire;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>Hostile input against a running deployment: random bytes and peers that do not belong; the nodes keep training.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SecurityTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);
    private readonly Deployment _deployment = new(output, iterations: 200, computeScale: "20ms");

    [Fact]
    public async Task Random_bytes_and_peers_with_a_wrong_secret_or_address_are_rejected_while_training_goes_on()
    {
        var d = _deployment;
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 5), Phase, "all three clusters at iteration 5");
        var c1 = d.Status(0)!;

        const int seed = 4242;
        output.WriteLine($"garbage seed {seed}");
        var random = new Random(seed);
        const int garbageConnections = 10;
        for (var i = 0; i < garbageConnections; i++)
        {
            var garbage = new byte[4096];
            random.NextBytes(garbage);
            Assert.True(SendAndWaitClosed(d.Ports[0], garbage), $"c1 kept garbage connection {i} open");
        }

        var dimension = 10;
        var codec = new ProtocolWireCodec(new ProtocolWireOptions { Dimension = dimension });
        var target = new ActorPath(new Address("c1", "127.0.0.1", d.Ports[0]), ["user", "n1"]);
        await using var wrongSecret = new TcpTransport(codec, new TcpTransportSettings { Secret = TcpTransportSettings.SecretFromText("guessed") });
        var intruder = new Address("c2", "127.0.0.1", Deployment.FreePorts(1)[0]);
        wrongSecret.Bind(intruder, _ => { });
        wrongSecret.Send(new TransportEnvelope(intruder, target, null, new ModelMessage(c1.Frontier + 1, 3, new double[dimension])));

        await using var stranger = new TcpTransport(codec, new TcpTransportSettings { Secret = TcpTransportSettings.SecretFromText(Deployment.Secret) });
        var strangerAddress = new Address("c9", "127.0.0.1", Deployment.FreePorts(1)[0]);
        stranger.Bind(strangerAddress, _ => { });
        stranger.Send(new TransportEnvelope(strangerAddress, target, null, new ModelMessage(c1.Frontier + 1, 3, new double[dimension])));

        d.WaitUntil(() => d.Status(0) is { } s && s.Transport.AuthFailures >= 1 && s.Transport.UnknownPeers >= 1, Phase, "c1 counting the wrong secret and the unknown peer");
        Assert.Contains("rejected", wrongSecret.Links.Single().LastError, StringComparison.Ordinal);
        Assert.Equal(0, wrongSecret.Counters.ConnectionsDialed);
        Assert.Equal(0, stranger.Counters.ConnectionsDialed);

        var after = d.Status(0)!;
        Assert.Equal(c1.Pid, after.Pid);
        Assert.True(after.Transport.RejectedConnections >= garbageConnections + 2, $"c1 counted {after.Transport.RejectedConnections} rejected connections");
        d.WaitUntil(() => d.Frontier(0) >= after.Frontier + 10, Phase, "c1 progressing after the attacks");

        var report = JsonSerializer.Deserialize<UpReport>(d.WaitForUp(TimeSpan.FromSeconds(120)), AdminJson.RunShaped)!;
        Assert.True(report.Completed);
        Assert.Equal(9, report.Final.LiveNodes);
    }

    public void Dispose() => _deployment.Dispose();

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
                // The node's challenge comes first; then it must hang up.
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
