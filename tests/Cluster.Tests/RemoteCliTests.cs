using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Decentral.Configuration;
using Decentral.Remote;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>The multi-process commands' bad input: clear errors and exit codes, without a running deployment.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RemoteCliTests(ITestOutputHelper output) : IDisposable
{
    private readonly Deployment _deployment = new(output, iterations: 50, computeScale: "1ms");

    [Fact]
    public void A_node_whose_port_is_in_use_exits_with_an_error_naming_the_port()
    {
        using var squatter = Listen(_deployment.Ports[0]);

        var (code, _, stderr) = RunNode("c1");

        Assert.Equal(1, code);
        Assert.Contains($"port {_deployment.Ports[0]} is already in use", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_whose_admin_port_is_in_use_exits_with_an_error_naming_the_port()
    {
        using var squatter = Listen(_deployment.AdminPorts[1]);

        var (code, _, stderr) = RunNode("c2");

        Assert.Equal(1, code);
        Assert.Contains($"port {_deployment.AdminPorts[1]} is already in use", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_reports_every_cluster_down_when_nothing_runs()
    {
        var (code, stdout, _) = _deployment.Cli("status", "--config", _deployment.ConfigFile);

        Assert.Equal(1, code);
        Assert.Equal(3, stdout.Split('\n').Count(l => l.Contains(": down", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(new[] { "fault", "crash", "c9" }, "no cluster is named 'c9'")]
    [InlineData(new[] { "fault", "delay", "c1", "c2", "soon" }, "'soon' is not a duration")]
    [InlineData(new[] { "fault", "drop", "c1", "c2", "1.5" }, "not a probability")]
    [InlineData(new[] { "fault", "blackhole", "c1", "c1" }, "the same cluster")]
    [InlineData(new[] { "node", "--cluster", "c7" }, "no cluster is named 'c7'")]
    public void Bad_arguments_are_rejected_with_exit_code_2(string[] args, string expected)
    {
        var (code, _, stderr) = _deployment.Cli([.. args, "--config", _deployment.ConfigFile]);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Crashing_a_cluster_that_does_not_run_fails_without_touching_anything()
    {
        var (code, _, stderr) = _deployment.Cli("fault", "crash", "c2", "--config", _deployment.ConfigFile);

        Assert.Equal(1, code);
        Assert.Contains("c2 is not running", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decentral.remote.admin-ports = [1, 2]", "decentral.remote.admin-ports", "one port per cluster")]
    [InlineData("decentral.remote.wire-format = float16", "decentral.remote.wire-format", "unknown value 'float16'")]
    [InlineData("decentral.remote.connect-timeout = 0s", "decentral.remote.connect-timeout", "a positive duration")]
    [InlineData("decentral.remote.reconnect-delay = -1s", "decentral.remote.reconnect-delay", "a positive duration")]
    [InlineData("decentral.remote.idle-timeout = 1500ms", "decentral.remote.idle-timeout", "at least twice heartbeat-interval")]
    [InlineData("decentral.remote.clusters.c2.host = \"no such host!\"", "decentral.remote.clusters.c2.host", "not a host name or IP address")]
    public void Remote_settings_are_validated_with_the_key_named(string assignment, string key, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() => RemoteOptionsReader.Read(RunConfiguration.Load(_deployment.ConfigFile, assignment.Split(" ; "))));

        var error = Assert.Single(e.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_settings_reach_the_akka_configuration_of_the_cluster()
    {
        var run = RunConfiguration.Load(_deployment.ConfigFile, [
            "decentral.remote.connect-timeout = 2s", "decentral.remote.reconnect-delay = 750ms",
            "decentral.remote.heartbeat-interval = 200ms", "decentral.remote.idle-timeout = 3s", "decentral.remote.wire-format = float32"]);
        var remote = RemoteOptionsReader.Read(run);
        var self = remote.Addresses[1];

        var akka = Akka.Configuration.ConfigurationFactory.ParseString(
            RemoteRuntimes.Hocon(self.Host!, self.Port!.Value, Decentral.Nodes.Wire.ProtocolWireOptions.For(run.Spec, remote.WireFormat), remote.Tuning,
                tls: remote.Tls is not null, faultAdapters: true));

        Assert.Equal($"akka.trttl.gremlin.ssl.tcp://decentral@127.0.0.1:{_deployment.Ports[1]}", self.ToString());
        Assert.Equal(_deployment.CertificateFile, remote.Tls!.CertificatePath);
        Assert.Equal(Deployment.PasswordEnv, remote.Tls.PasswordEnv);
        Assert.True(akka.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(["trttl", "gremlin"], akka.GetStringList("akka.remote.dot-netty.tcp.applied-adapters"));
        Assert.Equal("remote", akka.GetString("akka.actor.provider"));
        Assert.Equal("127.0.0.1", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(_deployment.Ports[1], akka.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(TimeSpan.FromSeconds(2), akka.GetTimeSpan("akka.remote.dot-netty.tcp.connection-timeout"));
        Assert.Equal(TimeSpan.FromMilliseconds(750), akka.GetTimeSpan("akka.remote.retry-gate-closed-for"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), akka.GetTimeSpan("akka.remote.transport-failure-detector.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromSeconds(3), akka.GetTimeSpan("akka.remote.transport-failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal("float32", akka.GetString("akka.actor.serialization-settings.decentral-protocol.encoding"));
        Assert.Equal(run.Spec.Training.Dimension, akka.GetInt("akka.actor.serialization-settings.decentral-protocol.dimension"));
        // Models through the protocol's serializer, every other Decentral message through Hyperion (never JSON).
        var bindings = akka.GetConfig("akka.actor.serialization-bindings").AsEnumerable().ToDictionary(b => b.Key, b => b.Value.GetString());
        Assert.Equal("decentral-protocol", bindings["Decentral.Nodes.Protocol.ProtocolMessage, Decentral.Nodes"]);
        Assert.All(bindings, b => Assert.Equal(b.Key.StartsWith("Decentral.Nodes.Protocol.ProtocolMessage,", StringComparison.Ordinal) ? "decentral-protocol" : "hyperion", b.Value));
    }

    [Theory]
    [InlineData(10, 128_000)]
    [InlineData(1_000_000, 8_000_000 + 20 + 4096)]
    public void Akka_frames_hold_a_float64_model_of_the_dimension(int dimension, long expected)
    {
        var akka = Akka.Configuration.ConfigurationFactory.ParseString(RemoteRuntimes.Hocon(
            "127.0.0.1", 0, new Decentral.Nodes.Wire.ProtocolWireOptions { Dimension = dimension, Encoding = Decentral.Nodes.Wire.VectorEncoding.Float32 }, RemoteTuning.Default));

        Assert.Equal(expected, akka.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.True(akka.GetByteSize("akka.remote.dot-netty.tcp.send-buffer-size") >= Math.Min(expected, 32 * 1024 * 1024));
    }

    [Fact]
    public void Bench_remote_reports_throughput_consistent_with_what_it_moved()
    {
        var (code, stdout, _) = _deployment.Cli("bench", "remote", "--dims", "1000", "--clusters", "2,3", "--seconds", "0.2", "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("remote", root.GetProperty("bench").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        foreach (var r in results)
        {
            var m = r.GetProperty("clusters").GetInt32();
            var iterations = r.GetProperty("iterations").GetInt32();
            var seconds = r.GetProperty("seconds").GetDouble();
            Assert.True(iterations >= 3);
            Assert.Equal((long)iterations * m * (m - 1), r.GetProperty("messages").GetInt64());
            Assert.Equal(seconds * 1000 / iterations, r.GetProperty("ms_per_iteration").GetDouble(), 1e-9);

            // Payload: every message carries 1000 doubles; serialized: the same plus the 20-byte header.
            var expected = (double)iterations * m * (m - 1) * 1000 * sizeof(double) / seconds / 1e9;
            Assert.Equal(expected, r.GetProperty("payload_gbps").GetDouble(), 1e-9);
            Assert.Equal(expected * (8000 + 20) / 8000, r.GetProperty("serialized_gbps").GetDouble(), 1e-9);
        }
    }

    public void Dispose() => _deployment.Dispose();

    private static Socket Listen(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen();
        return socket;
    }

    /// <summary>`decentral node` as a separate process (it must fail fast here; bounded anyway).</summary>
    private (int Code, string Out, string Err) RunNode(string cluster)
    {
        var start = new ProcessStartInfo(Deployment.DotnetHost(), [Deployment.DecentralDll, "node", "--config", _deployment.ConfigFile, "--cluster", cluster])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"decentral node --cluster {cluster} did not exit within 30 s");
        }

        process.WaitForExit();
        output.WriteLine($"node {cluster} → {process.ExitCode}: {stderr.Result}");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
