using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Akka.Actor;
using Decentral.Configuration;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Decentral.Remote;
using Decentral.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// Issue 24, who gets into a deployment: a second process for a running cluster, an Akka member at the wrong
/// address, a process with another configuration, idle and garbage connections, and requests to the admin
/// endpoint without the token or from a web page. Each test runs open-ended deployments (many iterations)
/// and stops them when its assertions are done.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class AdmissionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(180);
    private const int OpenEnded = 100_000;

    [Fact]
    public void A_second_process_for_a_running_cluster_exits_1_naming_the_holder_and_a_member_at_a_wrong_address_is_downed()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 5), Phase, "all three clusters at iteration 5");
        var c2 = d.Status(1)!;

        // The duplicate: the same cluster with its own admin port and state directory, as in the issue.
        var duplicate = d.StartNode("c2", $"decentral.remote.admin-ports=[{string.Join(",", d.AdminPorts[0], Deployment.FreePorts(1)[0], d.AdminPorts[2])}]", "decentral.remote.state-dir=\"dup\"");
        Assert.True(duplicate.WaitForExit(60_000), "the duplicate c2 did not exit");
        duplicate.WaitForExit();
        Assert.Equal(1, duplicate.ExitCode);
        var log = File.ReadAllText(Path.Combine(d.StateDirectory, "c2.log"));
        Assert.Contains($"Cluster c2's address 127.0.0.1:{d.Ports[1]} is already held by process {c2.Pid} (cluster c2", log, StringComparison.Ordinal);

        // An Akka member claiming role c2 from another port (it holds the certificate): every process downs
        // it before it is ever up; the real c2 keeps its incarnation and trains on.
        var dimension = RunConfiguration.Load(d.ConfigFile).Spec.Training.Dimension;
        var material = RemoteTls.Load(new TlsOptions(d.CertificateFile, null, Deployment.PasswordEnv, []));
        var guard = new TlsGuard(material, NullLogger.Instance);
        var host = new RealTimeHost(
            RemoteRuntimes.Hocon("127.0.0.1", 0, new ProtocolWireOptions { Dimension = dimension }, RemoteTuning.Default, tls: true, faultAdapters: true)
            + ClusterMembership.Hocon("c2", TimeSpan.FromSeconds(10)),
            setup: _ => guard.Setup());
        var impostor = host.CreateSystem(RemoteRuntimes.SystemName);
        try
        {
            var address = RemoteRuntimes.AddressOf(impostor);
            Akka.Cluster.Cluster.Get(impostor).JoinSeedNodes([Address.Parse(d.Status(0)!.Address)]);
            d.WaitUntil(
                () => d.Status(0) is { Membership: { } m, Identity.MembersRefused: >= 1 }
                    && m.Members.Any(x => x.Address == address.ToString() && x.Status is "down" or "removed"),
                Phase, "c1 downing the member that claims c2 from another port");
            Assert.DoesNotContain(d.Status(0)!.Membership!.Members, x => x.Address == address.ToString() && x.Status == "up");
        }
        finally
        {
            host.Terminate([impostor], null);
        }

        var now = d.Status(1)!;
        Assert.Equal(c2.Pid, now.Pid);
        Assert.Equal(c2.Incarnation, now.Incarnation);
        d.WaitForProgress(1, 10, OpenEnded, "c2 training on after the duplicate and the impostor");
        // Membership gossip may still be settling on a loaded machine (c3 joining, the impostor's removal): wait
        // for c1 to see exactly one c2, up — the real one — rather than reading it once.
        d.WaitUntil(
            () => d.Status(0)?.Membership?.Members is { } members && members.Count(x => x.Role == "c2" && x.Status == "up") == 1,
            Phase, "c1 seeing exactly one c2 member up");
    }

    [Fact]
    public void A_process_with_another_configuration_is_refused_counted_and_logged_once_naming_the_differences()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 5), Phase, "all three clusters at iteration 5");
        Assert.Equal(0, d.Cli("fault", "crash", "c2", "--config", d.ConfigFile).Code);

        // c2 comes back with the deployment's certificate and address but another layout and step size.
        var rogue = d.StartNode("c2", "decentral.cluster.sizes=[1,5,3]", "decentral.sgd.learning-rate=50", "decentral.remote.state-dir=\"rogue\"");
        try
        {
            ClusterStatusReport? c1 = null;
            d.WaitUntil(
                () => (c1 = d.Status(0)) is { } s
                    && s.Peers.Single(p => p.Cluster == "c2").Identity is { } id && id.StartsWith("refused", StringComparison.Ordinal)
                    && s.Transport.Rejections.GetValueOrDefault("PeerRefused") >= 1,
                Phase, "c1 refusing the reconfigured c2 and counting its messages");
            var identity = c1!.Peers.Single(p => p.Cluster == "c2").Identity!;
            Assert.Contains("layout: c1,c2,c3 of sizes 3,3,3 here, c1,c2,c3 of sizes 1,5,3 there", identity, StringComparison.Ordinal);
            Assert.Contains("model:", identity, StringComparison.Ordinal);

            // Logged once, with both fingerprints' differing entries, however many messages it sends.
            var before = c1.Transport.Rejections["PeerRefused"];
            d.WaitUntil(() => d.Status(0)!.Transport.Rejections.GetValueOrDefault("PeerRefused") > before + 10, Phase, "more of the rogue's messages refused");
            var refusals = Regex.Matches(d.Log("c1"), "Refusing c2 at ").Count;
            Assert.Equal(1, refusals);
            Assert.Contains("sizes 1,5,3 there", d.Log("c1"), StringComparison.Ordinal);

            // c1 and c3 (6 of 9 processes) train on; nothing the rogue sent moved them.
            var at = d.Frontier(0);
            d.WaitForProgress(0, 10, OpenEnded, "c1 training on with c3 while c2 is refused");
            Assert.InRange(d.Frontier(0), at + 10, at + 2_000);
        }
        finally
        {
            if (!rogue.HasExited)
            {
                rogue.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void Idle_connections_are_closed_after_the_handshake_timeout_and_over_the_cap_at_once()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms", extra: "remote.handshake-timeout = 2s\nremote.max-pending-handshakes = 20");
        d.StartNode("c1");
        d.WaitUntil(() => d.Status(0) is not null, Phase, "c1 serving");

        const int count = 60;
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(IPAddress.Loopback, d.Ports[0]);
                sockets.Add(socket);
            }

            // Every one closed by c1 (the peer's FIN: readable with nothing to read), none left open.
            d.WaitUntil(() => sockets.All(IsClosedByPeer), Phase, $"c1 closing all {count} idle connections");
            var identity = d.Status(0)!.Identity!;
            output.WriteLine($"timed out {identity.HandshakesTimedOut}, over the cap {identity.HandshakesOverCap}");
            Assert.Equal(count, identity.HandshakesTimedOut + identity.HandshakesOverCap);
            Assert.InRange(identity.HandshakesTimedOut, 1, 20);
            Assert.True(identity.HandshakesOverCap >= count - 20 - 20, $"{identity.HandshakesOverCap} over the cap");
            Assert.True(Regex.Matches(d.Log("c1"), "Closed an incoming connection from").Count <= 2, "closed connections logged at most once a minute");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Garbage_connections_are_refused_and_counted_with_akkas_error_lines_rate_limited()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        d.StartNode("c1");
        d.WaitUntil(() => d.Status(0) is not null, Phase, "c1 serving");

        const int count = 100;
        var clock = Stopwatch.StartNew();
        var random = new Decentral.Agreement.SeededRandom(24UL);
        for (var i = 0; i < count; i++)
        {
            var garbage = new byte[512];
            random.NextBytes(garbage);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
            socket.Connect(IPAddress.Loopback, d.Ports[0]);
            socket.Send(garbage);
            try
            {
                while (socket.Receive(new byte[512]) > 0)
                {
                }
            }
            catch (SocketException)
            {
            }
        }

        d.WaitUntil(() => d.Status(0) is { Transport.ConnectionsRefused: >= count }, Phase, $"c1 counting the {count} refused connections");
        var minutes = 1 + (int)clock.Elapsed.TotalMinutes;
        var log = d.Log("c1");
        foreach (var kind in new[] { "Error caught channel", "TLS handshake failed", "Rejected incoming connection", "TLS exception on channel" })
        {
            // Lines whose message starts with the kind (a line's multi-line text may repeat its words).
            var lines = Regex.Matches(log, @"(?m)^\[(ERROR|WARNING|INFO)\] [^\n]*?: " + Regex.Escape(kind)).Count;
            output.WriteLine($"{kind}: {lines} lines");
            Assert.True(lines <= minutes, $"{lines} '{kind}' lines for {count} connections in {clock.Elapsed.TotalSeconds:F0} s");
        }
    }

    [Fact]
    public void The_admin_endpoint_requires_the_token_and_refuses_foreign_hosts_and_web_pages()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        d.StartNode("c1");
        d.WaitUntil(() => d.Status(0) is not null, Phase, "c1 serving");
        var tokenFile = AdminToken.PathIn(d.StateDirectory);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        }

        var token = AdminToken.Read(d.StateDirectory)!;
        var port = d.AdminPorts[0];
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        HttpStatusCode Send(HttpMethod method, string path, string? bearer, string? hostHeader = null, string? origin = null)
        {
            using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}/{path}");
            if (bearer is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            }

            if (hostHeader is not null)
            {
                request.Headers.Host = hostHeader;
            }

            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
                request.Content = new StringContent("", System.Text.Encoding.UTF8, "text/plain");
            }

            using var response = http.Send(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, Send(HttpMethod.Get, "status", null));
        Assert.Equal(HttpStatusCode.Unauthorized, Send(HttpMethod.Get, "summary", "not-the-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, Send(HttpMethod.Post, "fault/heal", null));
        Assert.Equal(HttpStatusCode.Forbidden, Send(HttpMethod.Get, "status", token, hostHeader: $"evil.example:{port}"));
        Assert.Equal(HttpStatusCode.Forbidden, Send(HttpMethod.Post, "shutdown", token, origin: "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, Send(HttpMethod.Post, "shutdown", null, origin: "http://evil.example"));
        Assert.Equal(HttpStatusCode.OK, Send(HttpMethod.Get, "status", token));

        var status = d.Status(0)!;
        Assert.False(status.ShuttingDown);
        Assert.True(status.Admin!.Unauthorized >= 3, $"{status.Admin.Unauthorized} refused 401");
        Assert.Equal(3, status.Admin.Forbidden);

        // The CLI reads the token from the state directory (c2 and c3 do not run: exit code 1).
        var (code, stdout, _) = d.Cli("status", "--config", d.ConfigFile);
        Assert.Contains("c1: pid " + status.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), stdout, StringComparison.Ordinal);
        Assert.Contains("3 refused 403 (host or origin)", stdout, StringComparison.Ordinal);
        Assert.Equal(1, code);
    }

    private static bool IsClosedByPeer(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
