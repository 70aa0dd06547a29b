using Decentral.Nodes.AsyncSgd;
using Decentral.Simulation;
using Decentral.Nodes.Compute;
using static Decentral.Nodes.Tests.AsyncSgd.AsyncProblems;

namespace Decentral.Nodes.Tests.AsyncSgd;

/// <summary>End-to-end runs on the actors under virtual time, checked against schedules derived by hand.</summary>
public sealed class AsynchronousRunTests
{
    private const double TimeTolerance = 1e-6;

    [Fact]
    public void Pure_workers_each_run_their_own_chain_and_delays_count_the_steps_of_others()
    {
        double[] s = [1.0, 1.7, 2.9];
        var result = AsyncSgdRunner.Run(Options(FixedTimes(LeastSquaresData(), s), AsyncMethod.Pure, 3, 0.05, steps: 14));

        // Independent schedule: worker i is always busy with its own job, so it delivers at k·s_i.
        var expected = s.SelectMany((si, w) => Enumerable.Range(1, 20).Select(k => (Time: k * si, Worker: w)))
            .OrderBy(e => e.Time).Take(14).ToArray();
        var lastStep = new int[3];
        Array.Fill(lastStep, -1);
        Assert.Equal(14, result.Events.Count);
        for (var j = 0; j < expected.Length; j++)
        {
            var e = result.Events[j];
            Assert.Equal(expected[j].Worker, e.Worker);
            Assert.Equal(expected[j].Time, e.Time, TimeTolerance);
            // Its job was issued right after its previous arrival (step p+1 produced version p+1), or at x₀.
            var version = lastStep[e.Worker] + 1;
            Assert.Equal(version, e.Version);
            Assert.Equal(j - version, e.Delay);
            Assert.Equal(ArrivalKind.Applied, e.Kind);
            Assert.Equal(0.05, e.StepSize);
            lastStep[e.Worker] = j;
        }
        Assert.Equal(RunEnd.StepBudget, result.End);
        Assert.Equal(14, result.Steps);
    }

    [Fact]
    public void A_job_given_to_a_busy_worker_waits_in_its_queue()
    {
        // Every job goes to worker 1 (10× slower); worker 0 goes idle after its first gradient.
        var options = Options(FixedTimes(LeastSquaresData(), [1.0, 10.0]), AsyncMethod.Random, 2, 0.05, steps: 6);
        var result = AsyncSgdRunner.Run(options, _ => new AsynchronousRule(
            options.Problem.Start(), 2, new ScriptedAssignment(1), new ConstantStepRule(0.05)));

        // t=1: w0 (v0, τ0) → job v1 queued at w1. t=10: w1 (v0, τ1) → job v2 queued; w1 starts v1.
        // t=20: v1 at step 2 → τ1; and so on, one job behind, FIFO.
        var expected = new (double Time, int Worker, long Version, long Delay)[]
        {
            (1, 0, 0, 0), (10, 1, 0, 1), (20, 1, 1, 1), (30, 1, 2, 1), (40, 1, 3, 1), (50, 1, 4, 1),
        };
        Assert.Equal(expected.Length, result.Events.Count);
        for (var j = 0; j < expected.Length; j++)
        {
            var e = result.Events[j];
            Assert.Equal(expected[j].Time, e.Time, TimeTolerance);
            Assert.Equal((expected[j].Worker, expected[j].Version, expected[j].Delay), (e.Worker, e.Version, e.Delay));
        }
    }

    [Theory]
    [InlineData("random")]
    [InlineData("shuffle")]
    public void Each_worker_delivers_exactly_the_jobs_the_rule_assigned_it_in_order(string name)
    {
        const int workers = 4;
        const ulong seed = 21;
        var problem = FixedTimes(LeastSquaresData(), [1.0, 1.37, 2.11, 3.03], seed: seed);
        var result = AsyncSgdRunner.Run(Options(problem, AsyncMethod.Parse(name), workers, 0.02, steps: 200));

        // Replay the assignment stream independently: after step k (1-based) the job at version k goes
        // to assignment.Next(...). Each worker must deliver version 0, then its assigned versions in order.
        IJobAssignment replay = name == "random" ? new RandomAssignment(workers, seed) : new ShuffleAssignment(workers, seed);
        var assigned = Enumerable.Range(0, workers).Select(_ => new List<long> { 0 }).ToArray();
        for (var k = 1; k <= result.Steps; k++)
        {
            assigned[replay.Next(-1)].Add(k);
        }
        for (var w = 0; w < workers; w++)
        {
            var delivered = result.Events.Where(e => e.Worker == w).Select(e => e.Version).ToList();
            Assert.Equal(assigned[w].Take(delivered.Count), delivered);
        }
        Assert.All(result.Events, e => Assert.Equal(e.Version + e.Delay, result.Events.TakeWhile(x => x != e).Count()));
    }

    [Fact]
    public void Delay_adaptive_steps_are_eta_min_one_m_over_tau_for_the_recorded_delays()
    {
        var problem = FixedTimes(LeastSquaresData(), [1.0, 1.3, 1.7, 9.1]);
        var options = Options(problem, AsyncMethod.DelayAdaptive, 4, 0.08, steps: 120) with { DelayAdaptiveM = 2 };
        var result = AsyncSgdRunner.Run(options);

        Assert.Contains(result.Events, e => e.Delay > 2); // the slow worker makes the rule bite
        Assert.All(result.Events, e => Assert.Equal(0.08 * Math.Min(1, 2.0 / Math.Max(e.Delay, 1)), e.StepSize, 15));
    }

    [Fact]
    public void Rescaled_steps_follow_the_worker_not_the_delay()
    {
        double[] s = [1.0, 2.0, 5.0];
        var result = AsyncSgdRunner.Run(Options(FixedTimes(LeastSquaresData(), s), AsyncMethod.Rescaled, 3, 0.06, steps: 60));
        Assert.All(result.Events, e => Assert.Equal(0.06 * s[e.Worker] / s.Average(), e.StepSize, 15));
    }

    [Fact]
    public void Ringmaster_drops_gradients_with_delay_at_least_r_and_restarts_their_worker()
    {
        var options = Options(FixedTimes(LeastSquaresData(), [1.0, 10.0]), AsyncMethod.Ringmaster, 2, 0.05, time: 55.5) with { RingmasterThreshold = 3 };
        var result = AsyncSgdRunner.Run(options);

        // Worker 1 needs 10 time units, during which worker 0 takes ~10 steps: delay ≥ 3, always dropped.
        var slow = result.Events.Where(e => e.Worker == 1).ToArray();
        Assert.Equal(5, slow.Length); // t = 10, 20, 30, 40, 50: it keeps getting (fresh) jobs
        Assert.All(slow, e => Assert.Equal(ArrivalKind.Dropped, e.Kind));
        Assert.All(result.Events.Where(e => e.Worker == 0), e => Assert.Equal(ArrivalKind.Applied, e.Kind));
        Assert.Equal(result.Events.Count(e => e.Kind == ArrivalKind.Applied), result.Steps);
        Assert.Equal(RunEnd.TimeBudget, result.End);
        Assert.Equal(55.5, result.Time, TimeTolerance);
    }

    [Fact]
    public void Same_seed_gives_an_identical_trace_and_another_seed_a_different_one()
    {
        AsyncRunResult RunWith(ulong seed) => AsyncSgdRunner.Run(new AsyncRunOptions
        {
            Problem = FixedTimes(LeastSquaresData(), [1, 2, 3, 4], seed: seed) with
            {
                ComputeTime = ComputeTimeKind.Normal,
                BatchSize = 2,
            },
            Method = AsyncMethod.Random,
            Workers = 4,
            StepSize = 0.05,
            MaxSteps = 150,
            FullLocalGradients = false,
            KeepEvents = true,
        });

        var a = RunWith(3);
        var b = RunWith(3);
        var c = RunWith(4);
        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.Samples, b.Samples);
        Assert.Equal(a.FinalModel, b.FinalModel);
        Assert.NotEqual(a.Events.Select(e => e.Worker), c.Events.Select(e => e.Worker));
    }

    [Fact]
    public void An_automatic_trace_of_a_time_budget_samples_about_the_requested_number_of_points_evenly()
    {
        var options = Options(FixedTimes(LeastSquaresData(), [0.3, 0.5, 0.7]), AsyncMethod.Pure, 3, 0.05, time: 100) with
        {
            TraceEvery = 0,
            TracePoints = 20,
        };
        var samples = AsyncSgdRunner.Run(options).Samples;

        // x₀, then one sample per 5 time units (the first step after each multiple), then the deadline.
        Assert.InRange(samples.Count, 18, 23);
        Assert.Equal(0, samples[0].Time);
        Assert.Equal(100, samples[^1].Time, TimeTolerance);
        Assert.All(samples.Zip(samples.Skip(1)), p => Assert.InRange(p.Second.Time - p.First.Time, 0, 5 + 0.7 + TimeTolerance));
    }

    [Fact]
    public void The_real_time_clock_runs_the_same_protocol_on_the_thread_pool()
    {
        var options = Options(FixedTimes(LeastSquaresData(), [1.0, 2.0]), AsyncMethod.Pure, 2, 0.05, steps: 20) with
        {
            Clock = RunClock.Real,
            RealSecondsPerUnit = 0.005, // system timers have millisecond resolution
            RealTimeout = TimeSpan.FromMinutes(2),
        };
        var result = AsyncSgdRunner.Run(options);

        Assert.Equal(RunEnd.StepBudget, result.End);
        Assert.Equal(20, result.Steps);
        // Wall-clock jitter may reorder close arrivals, but pure assignment still chains each worker's
        // jobs: its k-th gradient was computed at the version its (k−1)-th produced.
        var stepAfter = new long[2];
        for (var j = 0; j < result.Events.Count; j++)
        {
            var e = result.Events[j];
            Assert.Equal(stepAfter[e.Worker], e.Version);
            Assert.Equal(j - e.Version, e.Delay);
            stepAfter[e.Worker] = j + 1;
        }
        Assert.True(result.Time >= 10, $"20 steps of workers needing 1 and 2 units take at least ~13 units, took {result.Time}");
    }
}
