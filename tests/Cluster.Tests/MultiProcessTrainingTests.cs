using System.Text.Json;
using Decentral.Configuration;
using Decentral.Remote;
using Decentral.Simulation;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// The acceptance scenario of the multi-process cluster, with real processes on 127.0.0.1 talking
/// Akka.Remote over TLS (pinned development certificate), faults in Akka's transport adapters: `up` with 3 clusters trains; kill -9 of one cluster's process leaves the other two
/// progressing; `fault restart` brings it back from its SQLite checkpoint straight to the frontier; a
/// partition {c1} | {c2, c3} stalls c1 while c2 and c3 progress; heal lets c1 catch up; the run ends in
/// ε-agreement with a loss near the single-process run's.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MultiProcessTrainingTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// Enough that the run outlasts its phases: the restart alone (a .NET process starting, TLS, checkpoint
    /// load, rejoin) took 190 iterations at a load average of 2 on the 2 cores; a loaded CI machine may take
    /// twice that before the partition and the heal still need theirs.
    /// </summary>
    private const int Iterations = 600;

    /// <summary>Iterations a phase must see before it counts as progress (well above noise, well below T).</summary>
    private const int Progress = 20;

    /// <summary>A restarted node may start a few iterations behind the frontier read just before the restart.</summary>
    private const int SkipMargin = 3;

    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);

    private readonly Deployment _deployment = new(output, Iterations, computeScale: "25ms");

    /// <summary>c1's and c2's frontiers, polled until both answer (a status request can time out under load).</summary>
    private static (int C1, int C2) MajorityFrontiers(Deployment d, string when)
    {
        var (f1, f2) = (-1, -1);
        d.WaitUntil(() => ((f1, f2) = (d.Frontier(0), d.Frontier(1))) is ( >= 0, >= 0), Phase, $"c1's and c2's frontiers {when}");
        return (f1, f2);
    }

    /// <summary>Every process reports an Akka.Remote association with both others.</summary>
    private static bool AllAssociated(Deployment d)
    {
        var statuses = Enumerable.Range(0, 3).Select(d.Status).ToArray();
        return statuses.All(s => s is not null && s.Peers.Count == 2 && s.Peers.All(p => p.Link == "connected" && p.DialedBy is "here" or "peer"));
    }

    [Fact]
    public void Three_processes_train_through_a_kill_a_restart_and_a_partition_to_agreement()
    {
        var d = _deployment;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Mark(string phase) => output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {phase}; frontiers {d.Frontier(0)}, {d.Frontier(1)}, {d.Frontier(2)}");
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 15), Phase, "all three clusters at iteration 15");

        Mark("all at 15");

        // Every process is associated with both others over Akka.Remote, models cross it in the
        // protocol's binary format, and none was rejected (polled: a status request may time out on a
        // loaded machine).
        d.WaitUntil(() => AllAssociated(d), Phase, "every process associated with both others");
        d.WaitUntil(
            () => Enumerable.Range(0, 3).Select(d.Status).All(s => s is { Transport.MessagesSent: > 0, Transport.MessagesReceived: > 0, CodecRejections: 0 }),
            Phase, "every process sending and receiving protocol messages, none rejected");
        Assert.All(Enumerable.Range(0, 3).Select(d.Status), s =>
        {
            Assert.StartsWith("akka.trttl.gremlin.ssl.tcp://" + RemoteRuntimes.SystemName + "@127.0.0.1:", s!.Address, StringComparison.Ordinal);
            Assert.True(s.Transport.Tls, $"{s.Cluster} runs without TLS");
            Assert.Equal(0, s.Transport.CertificatesRejected);
        });

        // kill -9 c3's process: no cleanup at all.
        ClusterStatusReport? c3 = null;
        d.WaitUntil(() => (c3 = d.Status(2)) is not null, Phase, "c3's status");
        Deployment.KillHard(c3!.Pid);
        Assert.Null(d.Status(2));

        var (f1, f2) = MajorityFrontiers(d, "after the kill");
        var before = Math.Min(f1, f2);
        d.WaitUntil(() => d.Frontier(0) >= before + Progress && d.Frontier(1) >= before + Progress, Phase, "c1 and c2 progressing without c3");

        Mark("c1 and c2 progressed without c3");

        // Restart it: it recovers from its checkpoint and skips to the frontier instead of replaying.
        // c3 could not complete an iteration that c1 and c2 never complete (no quorum without one of
        // them), so its checkpoint resumes at most one past their frontier now.
        (f1, f2) = MajorityFrontiers(d, "before the restart");
        var frontierAtRestart = Math.Max(f1, f2);
        var c3AtMost = frontierAtRestart;
        Assert.Equal(0, d.Cli("fault", "restart", "c3", "--config", d.ConfigFile).Code);
        ClusterStatusReport? restarted = null;
        d.WaitUntil(() => (restarted = d.Status(2)) is { } s && s.Nodes.All(n => n.FirstCompletedAfterStart is not null), Phase, "c3's nodes completing an iteration after the restart");
        foreach (var node in restarted!.Nodes)
        {
            Assert.True(node.FromCheckpoint, $"{node.Name} did not start from its checkpoint");
            Assert.InRange(node.StartIteration, 2, c3AtMost + 1);
            Assert.True(node.FirstCompletedAfterStart >= frontierAtRestart - SkipMargin,
                $"{node.Name} recovered at {node.StartIteration} and first completed {node.FirstCompletedAfterStart}: it replayed instead of skipping to the frontier {frontierAtRestart}");
            Assert.True(node.Incarnation > 0, $"{node.Name} kept incarnation 0 after recovering");
        }

        Mark("c3 restarted and completed an iteration");

        // Partition {c1} from {c2, c3}: c1 lacks a quorum and stalls, the majority side goes on.
        Assert.Equal(0, d.Cli("fault", "partition", "--groups", "c1", "--groups", "c2,c3", "--config", d.ConfigFile).Code);
        var c1AtPartition = d.Frontier(0);
        var majorityAtPartition = Math.Max(d.Frontier(1), d.Frontier(2));
        d.WaitUntil(() => d.Frontier(1) >= majorityAtPartition + Progress && d.Frontier(2) >= majorityAtPartition + Progress, Phase, "c2 and c3 progressing in the partition");

        // Cut off, c1 can only use messages sent before the cut: at most one iteration past what anyone had reached.
        var c1Stalled = d.Frontier(0);
        Assert.True(c1Stalled <= Math.Max(c1AtPartition, majorityAtPartition) + 1,
            $"c1 went from {c1AtPartition} to {c1Stalled} while cut off from a quorum (the majority was at {majorityAtPartition})");
        // The cut is in Akka's throttler, each side of it: c1 blackholes both peers, each peer blackholes c1.
        d.WaitUntil(() => d.Status(0) is { } s && s.Peers.All(p => p.Faults.Contains("blackholed", StringComparison.Ordinal)), Phase, "c1 showing both peers blackholed");
        d.WaitUntil(
            () => Enumerable.Range(1, 2).Select(d.Status).All(s => s is not null && s.Peers.Single(p => p.Cluster == "c1").Faults.Contains("blackholed", StringComparison.Ordinal)
                && s.Peers.Single(p => p.Cluster != "c1").Faults == "none"),
            Phase, "c2 and c3 showing only c1 blackholed");

        Mark("majority progressed in the partition");

        // Heal: c1 catches up with the majority.
        var majorityAtHeal = Math.Max(d.Frontier(1), d.Frontier(2));
        Assert.Equal(0, d.Cli("fault", "heal", "--config", d.ConfigFile).Code);
        d.WaitUntil(() => Enumerable.Range(0, 3).Select(d.Status).All(s => s is not null && s.Peers.All(p => p.Faults == "none")), Phase, "every link free of faults after the heal");
        d.WaitUntil(() => d.Frontier(0) >= majorityAtHeal, Phase, "c1 catching up after the heal");

        Mark("c1 caught up");
        var upJson = d.WaitForUp(TimeSpan.FromSeconds(120));
        var report = JsonSerializer.Deserialize<UpReport>(upJson, AdminJson.RunShaped)!;
        Mark("up finished");

        // `up --json` speaks the keys of `run --json`.
        using (var shape = JsonDocument.Parse(upJson))
        {
            Assert.True(shape.RootElement.TryGetProperty("wall_seconds", out _), upJson);
            Assert.True(shape.RootElement.GetProperty("final").TryGetProperty("diameter_l2", out _), upJson);
            Assert.True(shape.RootElement.TryGetProperty("per_cluster", out _), upJson);
        }

        Assert.Equal(0, d.Up.ExitCode);
        Assert.True(report.Completed);
        Assert.Equal(9, report.Final.LiveNodes);
        Assert.All(report.PerCluster, c => Assert.Equal(Iterations, c.Frontier));

        // ε-agreement: the final rounds contract every node's model to (nearly) one point.
        Assert.True(report.Final.DiameterL2 <= 1e-3, $"final Δ₂ {report.Final.DiameterL2} among the 9 nodes");

        var single = SingleProcessLoss(d.ConfigFile);
        Mark("single-process run finished");
        output.WriteLine($"loss: 3 processes {report.Final.Loss}, single process {single}");
        Assert.True(Math.Abs(report.Final.Loss - single) <= 0.05 * single, $"loss {report.Final.Loss} is not within 5% of the single-process {single}");
    }

    public void Dispose() => _deployment.Dispose();

    /// <summary>The same configuration in one process: the deterministic simulation, no faults.</summary>
    private static double SingleProcessLoss(string configFile)
    {
        var run = RunConfiguration.Load(configFile);
        using var simulator = new Simulator(unchecked((long)run.Spec.Seed));
        using var runtime = SimulatedClusters.Create(run.Spec, simulator);
        Assert.True(runtime.RunSimulated(TimeSpan.FromHours(1)), "the simulated single-process run did not finish");
        return runtime.Summarize(true).Final.Loss;
    }
}
