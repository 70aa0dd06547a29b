using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Decentral.Remote;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// Issue 24, what a deployment does after a fault or a mistake: fault parameters out of range, a store
/// that cannot be read, a peer that restarted, and the error messages of the deployment commands.
/// Deployments run open-ended (many iterations) and are stopped when the assertions are done.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(180);
    private const int OpenEnded = 100_000;

    [Fact]
    public void Fault_parameters_out_of_range_are_refused_with_400_and_heal_clears_the_delay()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        d.StartNode("c1");
        d.WaitUntil(() => d.Status(0) is not null, Phase, "c1 serving");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken.Read(d.StateDirectory));
        (HttpStatusCode Status, string Message) Post(string pathAndQuery)
        {
            using var response = http.PostAsync($"http://127.0.0.1:{d.AdminPorts[0]}/{pathAndQuery}", null).GetAwaiter().GetResult();
            var body = response.Content.ReadFromJsonAsync<FaultResponse>(AdminJson.Options).GetAwaiter().GetResult();
            output.WriteLine($"{pathAndQuery} → {(int)response.StatusCode} {body?.Message}");
            return (response.StatusCode, body?.Message ?? "");
        }

        foreach (var (query, problem) in new[]
        {
            ("fault/delay?to=c2,c3&ms=9e14", "out of range"),
            ("fault/delay?to=c2&ms=1e15", "out of range"),
            ("fault/delay?to=c2&ms=1e300", "out of range"),
            ("fault/delay?to=c2&ms=-5", "out of range"),
            ("fault/delay?to=c2&ms=NaN", "not a number"),
            ("fault/delay?to=c2", "needs ms="),
            ("fault/drop?to=c2&p=1.5", "not a probability"),
            ("fault/drop?to=c2&p=NaN", "not a number"),
        })
        {
            var (status, message) = Post(query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(problem, message, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, Post("fault/delay?to=c2&ms=3600000").Status);
        Assert.Contains("delay", d.Status(0)!.Peers.Single(p => p.Cluster == "c2").Faults, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, Post("fault/heal").Status);
        Assert.Equal("none", d.Status(0)!.Peers.Single(p => p.Cluster == "c2").Faults);

        var (code, _, stderr) = d.Cli("fault", "delay", "c1", "c2", "1000d", "--config", d.ConfigFile);
        Assert.Equal(2, code);
        Assert.Contains("out of range", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restarted_cluster_whose_checkpoint_file_is_damaged_sets_it_aside_says_so_and_catches_up()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 10), Phase, "all three clusters at iteration 10");
        Assert.Equal(0, d.Cli("fault", "crash", "c2", "--config", d.ConfigFile).Code);

        // The recipe: fold the WAL into the file, then overwrite every page but the first with garbage.
        var path = Path.Combine(d.StateDirectory, "c2.sqlite");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= 2 * 4096, $"c2.sqlite has {bytes.Length} bytes");
        new Decentral.Agreement.SeededRandom(4UL).NextBytes(bytes.AsSpan(4096));
        File.WriteAllBytes(path, bytes);

        var frontier = d.Frontier(0);
        var (code, stdout, _) = d.Cli("fault", "restart", "c2", "--config", d.ConfigFile);
        Assert.Equal(0, code);
        Assert.Contains("without its checkpoints: checkpoint store unreadable", stdout, StringComparison.Ordinal);

        ClusterStatusReport? c2 = null;
        d.WaitUntil(() => (c2 = d.Status(1)) is { } s && s.Frontier >= frontier + 5, Phase, $"the restarted c2 past iteration {frontier + 5}");
        Assert.Contains(c2!.Problems!, p => p.StartsWith("checkpoint store unreadable", StringComparison.Ordinal) && p.Contains("set aside as", StringComparison.Ordinal));
        Assert.All(c2.Nodes, n => Assert.False(n.Crashed));
        Assert.Single(Directory.GetFiles(d.StateDirectory, "c2.sqlite.unreadable-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restarted_peer_shows_connected_again_within_seconds()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 5), Phase, "all three clusters at iteration 5");
        d.WaitUntil(() => d.Status(1) is { } s && s.Peers.Single(p => p.Cluster == "c1").Link == "connected", Phase, "c2 connected to c1");

        Deployment.KillHard(d.Status(0)!.Pid);
        d.WaitUntil(() => d.Status(1) is { } s && s.Peers.Single(p => p.Cluster == "c1").Link != "connected", Phase, "c2 seeing c1 gone");
        Assert.Equal(0, d.Cli("fault", "restart", "c1", "--config", d.ConfigFile).Code);

        var restarted = Stopwatch.StartNew();
        d.WaitUntil(() => d.Status(1) is { } s && s.Peers.Single(p => p.Cluster == "c1").Link == "connected", Phase, "c2 showing the restarted c1 connected");
        d.WaitUntil(() => d.Status(2) is { } s && s.Peers.Single(p => p.Cluster == "c1").Link == "connected", Phase, "c3 showing the restarted c1 connected");
        output.WriteLine($"connected again {restarted.Elapsed.TotalSeconds:F1} s after the restart");

        // It stays so while c1 trains (the old association's late end must not turn it back).
        d.WaitForProgress(0, 20, OpenEnded, "the restarted c1 training", s => s.Peers.All(p => p.Link == "connected"));
        Assert.All(new[] { 1, 2 }, c => Assert.Equal("connected", d.Status(c)!.Peers.Single(p => p.Cluster == "c1").Link));
    }

    [Fact]
    public void Up_with_a_taken_admin_port_names_the_cluster_and_port_without_a_stack_trace()
    {
        using var d = new Deployment(output, OpenEnded, computeScale: "20ms");
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, d.AdminPorts[1]));
        squatter.Listen();

        var start = new ProcessStartInfo(Deployment.DotnetHost(), [Deployment.DecentralDll, "up", "--config", d.ConfigFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = d.Directory,
        };
        using var up = Process.Start(start)!;
        var stderr = up.StandardError.ReadToEndAsync();
        var stdout = up.StandardOutput.ReadToEndAsync();
        if (!up.WaitForExit(120_000))
        {
            up.Kill(entireProcessTree: true);
            Assert.Fail("up did not exit within 120 s");
        }

        up.WaitForExit();
        output.WriteLine($"up → {up.ExitCode}\n{stderr.Result}\n{stdout.Result}");
        Assert.Equal(1, up.ExitCode);
        Assert.Contains($"cluster c2 exited with code 1 before serving: Cannot serve the admin endpoint on 127.0.0.1:{d.AdminPorts[1]}: port {d.AdminPorts[1]} is already in use", stderr.Result, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stderr.Result.Split('\n').Where(l => l.Contains("exited with code", StringComparison.Ordinal)).Single().Split("before serving:")[1], StringComparison.Ordinal);
    }
}
