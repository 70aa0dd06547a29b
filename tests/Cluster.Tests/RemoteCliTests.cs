using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Decentral.Host.Configuration;
using Decentral.Host.Remote;
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
    [InlineData("decentral.remote.max-frame-size = 100", "decentral.remote.max-frame-size", "from 1KiB to 1GiB")]
    [InlineData("decentral.remote.reconnect-max-delay = 1ms", "decentral.remote.reconnect-max-delay", "at least reconnect-min-delay")]
    [InlineData("decentral.remote.idle-timeout = 1500ms", "decentral.remote.idle-timeout", "at least twice heartbeat-interval")]
    [InlineData("decentral.model.data = \"\" ; decentral.model.synthetic.features = 1000 ; decentral.remote.max-frame-size = 4KiB", "decentral.remote.max-frame-size", "raise it or use wire-format = float32")]
    [InlineData("decentral.model.data = \"\" ; decentral.model.synthetic.features = 1000 ; decentral.remote.wire-format = float32 ; decentral.remote.max-frame-size = 4KiB", "decentral.remote.max-frame-size", "in float32); raise it")]
    public void Remote_settings_are_validated_with_the_key_named(string assignment, string key, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() => RemoteOptionsReader.Read(RunConfiguration.Load(_deployment.ConfigFile, assignment.Split(" ; "))));

        var error = Assert.Single(e.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Heartbeat_interval_and_idle_timeout_reach_the_transport()
    {
        var run = RunConfiguration.Load(_deployment.ConfigFile, ["decentral.remote.heartbeat-interval = 200ms", "decentral.remote.idle-timeout = 3s"]);

        var transport = RemoteOptionsReader.Read(run).Transport();

        Assert.Equal(TimeSpan.FromMilliseconds(200), transport.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), transport.IdleTimeout);
    }

    [Fact]
    public void A_cluster_beyond_loopback_needs_a_secret()
    {
        var run = RunConfiguration.Load(_deployment.ConfigFile, ["decentral.remote.secret = null", "decentral.remote.clusters.c2.host = \"10.1.2.3\""]);

        var e = Assert.Throws<ConfigurationException>(() => RemoteOptionsReader.Read(run, _ => null));

        Assert.Equal("decentral.remote.secret", Assert.Single(e.Errors).Key);
        Assert.Contains("beyond loopback", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secret_environment_variable_named_by_secret_env_wins()
    {
        var run = RunConfiguration.Load(_deployment.ConfigFile, ["decentral.remote.secret-env = MY_DEPLOYMENT_SECRET"]);

        var options = RemoteOptionsReader.Read(run, name => name == "MY_DEPLOYMENT_SECRET" ? "from-the-environment" : null);

        Assert.Equal("$MY_DEPLOYMENT_SECRET", options.SecretSource);
        Assert.Equal("from-the-environment"u8.ToArray(), options.Secret);
    }

    [Fact]
    public void Bench_tcp_reports_throughput_consistent_with_what_it_moved()
    {
        var (code, stdout, _) = _deployment.Cli("bench", "tcp", "--dims", "1000", "--clusters", "2,3", "--seconds", "0.2", "--json");

        Assert.Equal(0, code);
        var results = JsonDocument.Parse(stdout).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        foreach (var r in results)
        {
            var m = r.GetProperty("clusters").GetInt32();
            var iterations = r.GetProperty("iterations").GetInt32();
            var seconds = r.GetProperty("seconds").GetDouble();
            Assert.True(iterations >= 3);
            Assert.Equal((long)iterations * m * (m - 1), r.GetProperty("messages").GetInt64());

            // Payload: every message carries 1000 doubles.
            var expected = (double)iterations * m * (m - 1) * 1000 * sizeof(double) / seconds / 1e9;
            Assert.Equal(expected, r.GetProperty("payloadGBps").GetDouble(), 1e-9);
            Assert.True(r.GetProperty("wireGBps").GetDouble() > r.GetProperty("payloadGBps").GetDouble(), "framing adds bytes on the wire");
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
