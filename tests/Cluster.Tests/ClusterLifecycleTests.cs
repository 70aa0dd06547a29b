using System.Runtime.InteropServices;
using System.Text.Json;
using Decentral.Remote;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// Akka.Cluster in real `decentral node` processes (started by `up`): every process becomes a member
/// with its cluster's name as role and reports its view in `status --json`; SIGTERM makes a process
/// drain its checkpoint writer, write its summary and leave the cluster (the others see it removed, never
/// unreachable); `fault restart` brings it back as a new incarnation that joins the same cluster.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterLifecycleTests(ITestOutputHelper output) : IDisposable
{
    private const int Sigterm = 15;

    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);

    private readonly Deployment _deployment = new(output, iterations: 400, computeScale: "20ms");

    [Fact]
    public void Sigterm_leaves_the_cluster_and_a_restart_rejoins_as_a_new_incarnation()
    {
        var d = _deployment;
        d.StartUp();
        WaitForMembership(d, "every process seeing three members up and reachable");
        var c1 = d.Status(0)!;
        output.WriteLine(JsonSerializer.Serialize(c1.Membership, AdminJson.Options));
        Assert.Equal("up", c1.Membership!.SelfStatus);
        Assert.Equal(["c1", "c2", "c3"], c1.Membership.Members.Select(m => m.Role).Order());
        Assert.Contains(c1.Membership.Members, m => m.Address == c1.Address && m.Role == "c1");
        var c3 = d.Status(2)!;
        var c3Uid = c3.Membership!.Members.Single(m => m.Role == "c3").Uid;

        // SIGTERM: c3 winds down on its own (summary, checkpoints, leave) and exits.
        Assert.Equal(0, Kill(c3.Pid, Sigterm));
        d.WaitUntil(() => !Deployment.IsAlive(c3.Pid), Phase, "c3 exiting after SIGTERM");
        var summary = JsonSerializer.Deserialize<ClusterSummaryReport>(File.ReadAllText(Path.Combine(d.StateDirectory, "c3.summary.json")), AdminJson.Options)!;
        Assert.Equal(c3.Pid, summary.Pid);
        d.WaitUntil(() => d.Status(0)?.Membership?.Members.SingleOrDefault(m => m.Role == "c3")?.Status == "removed", Phase, "c1 seeing c3 removed");
        Assert.All(new[] { d.Status(0)!, d.Status(1)! }, s => Assert.Equal(0, s.Membership!.UnreachableEvents));
        var log = ReadShared(Path.Combine(d.StateDirectory, "c3.log"));
        Assert.Contains("on a fresh start", log, StringComparison.Ordinal);

        // Restart: it recovers from its checkpoints and joins as a new incarnation through the other seeds.
        Assert.Equal(0, d.Cli("fault", "restart", "c3", "--config", d.ConfigFile).Code);
        WaitForMembership(d, "every process seeing three members up after the restart");
        var rejoined = d.Status(0)!.Membership!.Members.Single(m => m.Role == "c3");
        Assert.NotEqual(c3Uid, rejoined.Uid);
        Assert.Equal(rejoined.Uid, d.Status(2)!.Membership!.Members.Single(m => m.Role == "c3").Uid);
        Assert.Contains("as a restarted process", ReadShared(Path.Combine(d.StateDirectory, "c3.log")), StringComparison.Ordinal);

        var report = JsonSerializer.Deserialize<UpReport>(d.WaitForUp(TimeSpan.FromSeconds(120)), AdminJson.RunShaped)!;
        Assert.True(report.Completed);
        Assert.Equal(9, report.Final.LiveNodes);
    }

    public void Dispose() => _deployment.Dispose();

    /// <summary>Waits until every process sees all three members up; on failure prints each one's view and c3's log.</summary>
    private void WaitForMembership(Deployment d, string what)
    {
        try
        {
            d.WaitUntil(() => Enumerable.Range(0, 3).All(c => SeesAllUp(d.Status(c), 3)), Phase, what);
        }
        catch (Decentral.TestKit.TestKitAssertionException)
        {
            foreach (var c in Enumerable.Range(0, 3))
            {
                output.WriteLine($"c{c + 1}: {JsonSerializer.Serialize(d.Status(c)?.Membership, AdminJson.Options)}");
            }

            output.WriteLine("c3 log: " + ReadShared(Path.Combine(d.StateDirectory, "c3.log")));
            throw;
        }
    }

    /// <summary>The process answers and sees <paramref name="members"/> members up and reachable, itself among them.</summary>
    internal static bool SeesAllUp(ClusterStatusReport? status, int members) =>
        status?.Membership is { SelfStatus: "up" } m && m.Members.Count(x => x.Status == "up" && x.Reachable) == members;

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
