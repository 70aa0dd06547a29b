using Decentral.Nodes.AsyncSgd;

namespace Decentral.Nodes.Tests.AsyncSgd;

public sealed class RuleTests
{
    [Fact]
    public void Pure_assignment_gives_the_next_job_to_the_worker_that_finished()
    {
        for (var w = 0; w < 5; w++)
        {
            Assert.Equal(w, PureAssignment.Instance.Next(w));
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(99UL)]
    public void Random_assignment_draws_every_worker_about_equally_often(ulong seed)
    {
        const int workers = 8, draws = 80_000;
        var assignment = new RandomAssignment(workers, seed);
        var counts = new int[workers];
        for (var k = 0; k < draws; k++)
        {
            counts[assignment.Next(0)]++; // who finished must not matter
        }
        // Binomial(80000, 1/8): sd ≈ 93.5; 5 sd either side of the mean 10000.
        Assert.All(counts, c => Assert.InRange(c, 10_000 - 470, 10_000 + 470));
    }

    [Fact]
    public void Random_assignment_is_a_function_of_the_seed()
    {
        var a = new RandomAssignment(10, 5);
        var b = new RandomAssignment(10, 5);
        var c = new RandomAssignment(10, 6);
        var sa = Enumerable.Range(0, 200).Select(_ => a.Next(0)).ToArray();
        var sb = Enumerable.Range(0, 200).Select(_ => b.Next(3)).ToArray();
        var sc = Enumerable.Range(0, 200).Select(_ => c.Next(0)).ToArray();
        Assert.Equal(sa, sb);
        Assert.NotEqual(sa, sc);
    }

    [Fact]
    public void Shuffle_assignment_visits_every_worker_once_per_block_and_reshuffles_between_blocks()
    {
        const int workers = 6, blocks = 50;
        var assignment = new ShuffleAssignment(workers, 11);
        var seen = new HashSet<string>();
        for (var block = 0; block < blocks; block++)
        {
            var order = Enumerable.Range(0, workers).Select(_ => assignment.Next(0)).ToArray();
            Assert.Equal(Enumerable.Range(0, workers), order.Order());
            seen.Add(string.Join(",", order));
        }
        // 720 permutations, 50 draws: a fixed permutation would give 1; expect many distinct ones.
        Assert.True(seen.Count > 30, $"only {seen.Count} distinct permutations in {blocks} blocks");
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(3, 1.0)]
    [InlineData(4, 1.0)]
    [InlineData(8, 0.5)]
    [InlineData(40, 0.1)]
    public void Delay_adaptive_step_is_eta_times_min_of_one_and_m_over_delay(long delay, double factor)
    {
        var rule = new DelayAdaptiveStepRule(0.2, 4);
        Assert.Equal(0.2 * factor, rule.StepSize(0, delay), 15);
    }

    [Fact]
    public void Rescaled_steps_are_proportional_to_mean_compute_times_and_average_to_gamma()
    {
        var rule = new RescaledStepRule(0.3, [1.0, 2.0, 3.0, 6.0]);
        // τ̄ = 3: γ_i = 0.3·τ_i/3.
        Assert.Equal([0.1, 0.2, 0.3, 0.6], rule.WorkerSteps.Select(s => Math.Round(s, 12)));
        Assert.Equal(0.3, rule.WorkerSteps.Average(), 12);
        // γ_i/τ_i, the learning rate per unit time, is the same for every worker.
        Assert.All(new[] { 0, 1, 2, 3 }, i => Assert.Equal(0.1, rule.StepSize(i, 17) / new[] { 1.0, 2, 3, 6 }[i], 12));
    }

    [Fact]
    public void Method_names_parse_case_insensitively_and_unknown_names_list_the_known_ones()
    {
        Assert.Same(AsyncMethod.Shuffle, AsyncMethod.Parse(" Shuffle "));
        Assert.Same(AsyncMethod.Pure, AsyncMethod.Parse("asgd"));
        foreach (var name in AsyncMethod.KnownNames)
        {
            Assert.Equal(name, AsyncMethod.Parse(name).Name);
        }
        var e = Assert.Throws<ArgumentException>(() => AsyncMethod.Parse("hogwild"));
        Assert.Contains("hogwild", e.Message, StringComparison.Ordinal);
        Assert.Contains("rennala", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_queue_works_jobs_first_in_first_out_and_numbers_them_in_start_order()
    {
        var queue = new WorkerJobQueue();
        var model = new double[] { 0 };
        Assert.True(queue.Offer(new AsgdJob(0, model, false)));
        Assert.False(queue.Offer(new AsgdJob(1, model, false)));
        Assert.False(queue.Offer(new AsgdJob(2, model, false)));
        Assert.Equal(0, queue.CurrentIndex);
        Assert.Equal(2, queue.Waiting);

        Assert.Equal(0, queue.Finish(out var next).Version);
        Assert.True(next);
        Assert.Equal(1, queue.CurrentIndex);
        Assert.Equal(1, queue.Finish(out next).Version);
        Assert.Equal(2, queue.Finish(out next).Version);
        Assert.False(next);
        Assert.False(queue.IsBusy);
        Assert.Equal(3, queue.Started);
    }

    [Fact]
    public void A_preempting_job_abandons_the_running_and_waiting_jobs()
    {
        var queue = new WorkerJobQueue();
        var model = new double[] { 0 };
        queue.Offer(new AsgdJob(0, model, false));
        queue.Offer(new AsgdJob(0, model, false));
        Assert.True(queue.Offer(new AsgdJob(5, model, true)));
        Assert.Equal(2, queue.Abandoned);
        Assert.Equal(0, queue.Waiting);
        Assert.Equal(5, queue.Current!.Version);
        Assert.Equal(1, queue.CurrentIndex); // the abandoned waiting job never started, so it used no index
    }
}
