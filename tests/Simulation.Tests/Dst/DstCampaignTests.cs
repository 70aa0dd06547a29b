using System.Diagnostics;
using Decentral.Agreement;
using Decentral.Simulation.Dst;
using Decentral.Nodes.Compute;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Dst;

/// <summary>Runs the protocol on the simulator under drawn fault schedules: no violation without a bug, every planted bug caught.</summary>
public sealed class DstCampaignTests(ITestOutputHelper output)
{
    /// <summary>Seeds of the regression campaign (the acceptance asks for at least 200).</summary>
    private const int CampaignSeeds = 200;

    /// <summary>Each mutant must be caught within this many seeds (it is, in practice, within the first few).</summary>
    private const int MutantBudget = 500;

    [Fact]
    public void Two_hundred_seeds_of_faults_break_no_invariant()
    {
        var wall = Stopwatch.StartNew();
        var campaign = DstCampaign.Run(1, CampaignSeeds, jobs: 2);
        output.WriteLine($"{campaign.Seeds} seeds in {wall.Elapsed.TotalSeconds:0.0} s: {campaign.Results.Sum(r => r.StagesCompleted)} stages, "
            + $"{campaign.Results.Sum(r => r.ContractionPairs)} pairs and {campaign.Results.Sum(r => r.ContractionRounds)} rounds checked for contraction, "
            + $"{campaign.Results.Sum(r => r.Resumes)} restarts, {campaign.Results.Sum(r => r.Scenario.Episodes.Count)} fault episodes, "
            + $"{campaign.Results.Sum(r => r.CheckpointsReportedBehind)} checkpoints reported behind, {campaign.Results.Sum(r => r.CheckpointsSavedAfterCrash)} saved after a crash");
        Assert.Equal(CampaignSeeds, campaign.Seeds);
        var first = campaign.Failures.FirstOrDefault();
        Assert.True(first is null, first is null ? null : $"{first.Violation} — replay: {first.Replay}\n{string.Join("\n", first.Tail)}");
        Assert.Equal(0, campaign.ExitCode);
        // The campaign must actually exercise the checks, not pass vacuously.
        Assert.True(campaign.Results.Sum(r => r.ContractionPairs) > 10_000);
        Assert.True(campaign.Results.Sum(r => r.ContractionRounds) > 1_000);
        Assert.True(campaign.Results.Sum(r => r.Resumes) > 50);
        // The checkpoint writer is asynchronous: the campaign must see checkpoints reported after later
        // iterations, and checkpoints asked for just before a crash but stored after it.
        Assert.True(campaign.Results.Sum(r => r.CheckpointsReportedBehind) > 50);
        Assert.True(campaign.Results.Sum(r => r.CheckpointsSavedAfterCrash) > 5);
    }

    [Theory]
    [InlineData("quorum-one-short", "quorum")]
    [InlineData("skip-without-quorum", "quorum")]
    [InlineData("checkpoint-before-state", "checkpoint")]
    [InlineData("mid-extremes-wrong-pair", "contraction")]
    public void Every_mutant_is_caught_within_its_budget(string name, string invariant)
    {
        var mutant = DstMutant.Parse(name);
        var campaign = DstCampaign.Run(1, MutantBudget, mutant, jobs: 2, failFast: true);
        var caught = campaign.Failures.FirstOrDefault();
        Assert.True(caught is not null, $"mutant {name} survived seeds 1-{MutantBudget}");
        output.WriteLine($"{name}: caught at seed {caught.Seed} by {caught.Violation}");
        Assert.Equal(invariant, caught.Violation!.Invariant);
        Assert.Equal(0, campaign.ExitCode);
        Assert.Equal($"decentral dst --seed {caught.Seed} --mutant {name} --trace", caught.Replay);
        Assert.InRange(caught.Tail.Count, 1, 64);
        // The replay reproduces the same violation.
        var replay = DstRunner.Run(caught.Seed, mutant);
        Assert.Equal(caught.Violation, replay.Violation);
    }

    [Fact]
    public void The_same_seed_gives_a_byte_identical_trace()
    {
        foreach (var seed in new long[] { 3, 7, 42 })
        {
            var a = DstRunner.Run(seed, trace: true);
            var b = DstRunner.Run(seed, trace: true);
            Assert.False(string.IsNullOrEmpty(a.Trace));
            Assert.Equal(a.Trace, b.Trace);
            Assert.Equal(a.TraceHash, b.TraceHash);
            Assert.Equal(a.Events, b.Events);
            // Tracing changes nothing about the run itself.
            Assert.Equal(a.TraceHash, DstRunner.Run(seed).TraceHash);
        }
    }

    [Fact]
    public void A_seed_runs_the_same_alone_as_next_to_others_in_a_parallel_campaign()
    {
        // Each seed has its own simulator and actor systems; nothing shared in the process may leak into a run.
        var campaign = DstCampaign.Run(1, 12, jobs: 2);
        Assert.Equal(12, campaign.Seeds);
        foreach (var r in campaign.Results)
        {
            var alone = DstRunner.Run(r.Seed);
            Assert.Equal((r.Seed, r.TraceHash, r.Events), (alone.Seed, alone.TraceHash, alone.Events));
        }
    }

    [Fact]
    public void A_run_from_a_thread_inside_another_actor_system_traces_the_same_and_leaves_that_thread_as_it_was()
    {
        // Akka.TestKit leaves its testActor in Akka's thread-static "current actor" on a test thread, and
        // a test runner reuses threads: a simulation started there must not pick it up as implicit sender.
        var clean = DstRunner.Run(1, trace: true);
        using var outside = Akka.Actor.ActorSystem.Create("outside");
        var cell = ((Akka.Actor.ExtendedActorSystem)outside).Provider.Guardian.Cell;
        Akka.Actor.Internal.InternalCurrentActorCellKeeper.Current = cell;
        try
        {
            var dirty = DstRunner.Run(1, trace: true);
            Assert.DoesNotContain("outside", dirty.Trace, StringComparison.Ordinal);
            Assert.Equal(clean.Trace, dirty.Trace);
            Assert.Equal(clean.TraceHash, dirty.TraceHash);
            Assert.Same(cell, Akka.Actor.Internal.InternalCurrentActorCellKeeper.Current);
        }
        finally
        {
            Akka.Actor.Internal.InternalCurrentActorCellKeeper.Current = null;
        }
    }

    [Fact]
    public void A_trace_names_actors_by_cluster_and_path_and_vectors_by_hash()
    {
        var trace = DstRunner.Run(7, trace: true).Trace!;
        Assert.StartsWith("#0 0µs ", trace, StringComparison.Ordinal);
        Assert.Contains(" delivery c1/user/checkpoints <- c", trace, StringComparison.Ordinal);
        Assert.Contains("fault step: begin", trace, StringComparison.Ordinal);
        Assert.Matches(@"delivery c\d/user/n\d <- c\d/user/n\d: model t\d+ from \d+ #[0-9a-f]{16}", trace);
        // Akka numbers some of its own actors per process: those numbers must not reach the trace.
        Assert.DoesNotMatch(@"/system/[A-Za-z]+-\d", trace);
    }

    [Fact]
    public void A_run_stopped_by_a_violation_with_faults_still_pending_shuts_down_cleanly()
    {
        // The mutant fails at the first stage, with the crash, partition and restart still ahead (their
        // fallback timers pending): shutting the run down, which pumps the simulator, must keep the
        // violation found and not fail on them.
        var scenario = Handmade(new ClusterLayout([2, 2]),
        [
            new CrashEpisode(5, TimeSpan.FromMilliseconds(40), "minority", ["c1/n1"], [("c1/n1", CheckpointDamage.Corrupt)], Permanent: false),
            new PartitionEpisode(6, TimeSpan.FromMilliseconds(40), "halves", [new Link(0, 1), new Link(1, 0)]),
        ]);
        var result = DstRunner.Run(scenario, DstMutant.QuorumOneShort, DstSettings.Default);
        Assert.Equal("quorum", result.Violation?.Invariant);
        Assert.Null(result.ShutdownProblem);
        Assert.True(result.ShutdownTime > TimeSpan.Zero && result.ShutdownTime < result.WallTime);
    }

    [Fact]
    public void Different_seeds_give_different_traces()
    {
        var hashes = Enumerable.Range(1, 20).Select(seed => DstRunner.Run(seed).TraceHash).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        Assert.NotEqual(DstRunner.Run(5, trace: true).Trace, DstRunner.Run(6, trace: true).Trace);
    }

    [Fact]
    public void A_node_cut_off_one_way_catches_up_after_the_heal()
    {
        // Regression: two singleton clusters, c2 cannot reach c1 for a while. c1 completes a stage with c2's
        // message while c2 never gets c1's; once healed, c2 needs exactly c1's message of that stage (c1 only
        // resent its newest one, and both waited on each other forever).
        var scenario = Handmade(new ClusterLayout([1, 1]),
            [new PartitionEpisode(3, TimeSpan.FromMilliseconds(60), "one-way", [new Link(1, 0)])]);
        var result = DstRunner.Run(scenario, null, DstSettings.Default);
        Assert.True(result.Passed, $"{result.Violation}\n{string.Join("\n", result.Tail)}");
    }

    [Fact]
    public void A_laggard_left_alone_with_one_peer_skips_forward_with_the_quorum_it_relays()
    {
        // Regression: [1, 1, 1]; c3 is down while c1 and c2 run on, restarts from a damaged (so older)
        // checkpoint, and at that instant c2 goes down for good. c1 alone is no quorum and waits for c3,
        // which lags many stages behind: only the quorum c1 completed its last stage with (c1's and c2's
        // messages, relayed by c1) lets c3 skip forward.
        var scenario = Handmade(new ClusterLayout([1, 1, 1]),
        [
            new CrashEpisode(4, TimeSpan.FromMilliseconds(90), "minority", ["c3"], [("c3/n1", CheckpointDamage.Torn)], Permanent: false),
            new CrashEpisode(4, TimeSpan.FromMilliseconds(1), "minority", ["c2"], [], Permanent: true),
        ]);
        var result = DstRunner.Run(scenario, null, DstSettings.Default, trace: true);
        Assert.True(result.Passed, $"{result.Violation}\n{string.Join("\n", result.Tail)}");
        Assert.Contains("c3/n1 completed", result.Trace, StringComparison.Ordinal);
        Assert.Contains("skipping from", result.Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fault_the_runtime_refuses_is_reported_for_its_seed_instead_of_ending_the_campaign()
    {
        var scenario = Handmade(new ClusterLayout([1, 1, 1]),
            [new CrashEpisode(2, TimeSpan.FromMilliseconds(5), "minority", ["c9"], [], Permanent: false)]);
        var result = DstRunner.Run(scenario, null, DstSettings.Default);
        Assert.Equal("harness", result.Violation?.Invariant);
        Assert.Contains("c9", result.Violation!.Message, StringComparison.Ordinal);
        Assert.Contains("fault step 'begin' threw", result.Violation.Message, StringComparison.Ordinal);
    }

    private static DstScenario Handmade(ClusterLayout layout, IReadOnlyList<FaultEpisode> episodes) => new()
    {
        Seed = 17,
        Layout = layout,
        Quorum = QuorumRule.Processes,
        Dimension = 3,
        Rows = 64,
        BatchSize = 8,
        StepSize = 0.1,
        Iterations = 20,
        Rounds = 2,
        ClusterRounds = 2,
        FinalRounds = 8,
        MaxBufferedStages = 8,
        CheckpointEvery = 1,
        CheckpointKeep = 3,
        ComputeTime = ComputeTimeKind.Fixed,
        WorkerScales = [.. Enumerable.Repeat(0.002, layout.N)],
        NetworkLatency = TimeSpan.FromMilliseconds(1),
        ResendInterval = TimeSpan.FromMilliseconds(20),
        IterationTime = TimeSpan.FromMilliseconds(15),
        Episodes = episodes,
    };
}
