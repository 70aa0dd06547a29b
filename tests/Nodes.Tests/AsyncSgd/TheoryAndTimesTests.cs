using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Compute;

namespace Decentral.Nodes.Tests.AsyncSgd;

public sealed class TheoryAndTimesTests
{
    [Fact]
    public void Throughputs_and_speed_up_follow_the_formulas()
    {
        var theory = new AsyncTheory([4.0, 1.0, 2.0]);
        Assert.Equal(4, theory.MinibatchTimePerStep);
        Assert.Equal(3.0 / 4, theory.MinibatchThroughput, 15);
        Assert.Equal(1 + 0.5 + 0.25, theory.AsynchronousThroughput, 15);
        Assert.Equal((4.0 / 4 + 4.0 / 1 + 4.0 / 2) / 3, theory.SpeedUp, 15);
    }

    [Theory]
    [InlineData(0.0, 1, 1.0)]            // no noise: the fastest worker alone, m/Σ1/τ = 1/1
    [InlineData(10.0, 3, 13 / 1.75)]     // m=1: 11, m=2: 12/1.5 = 8, m=3: 13/1.75 ≈ 7.43
    [InlineData(1.0, 1, 2.0)]            // m=1: 2, m=2: 3/1.5 = 2 (a tie: the smaller m is kept), m=3: 4/1.75 ≈ 2.29
    public void Optimal_time_minimises_over_the_m_fastest_workers(double noiseOverEpsilon, int m, double value)
    {
        var theory = new AsyncTheory([1.0, 2.0, 4.0]);
        var optimal = theory.Optimal(noiseOverEpsilon, 1.0);
        Assert.Equal(value, optimal.Value, 12);
        Assert.Equal(m, optimal.Workers);
    }

    [Fact]
    public void Mean_of_the_normal_model_matches_the_folded_normal_formula_by_sampling()
    {
        const int jobs = 40_000;
        var model = ComputeTimeModel.Normal(3.0, 17, 2);
        var sum = 0.0;
        for (var k = 0; k < jobs; k++)
        {
            sum += model.Seconds(k);
        }
        // |N(3, 3)| + 1 has standard deviation < 3; the sample mean's sd < 3/√40000 = 0.015.
        Assert.Equal(sum / jobs, WorkerTimes.ExpectedSeconds(model), 0.08);
    }

    [Fact]
    public void The_bad_worker_is_slower_by_its_factor_and_nobody_else_is()
    {
        var models = Enumerable.Range(0, 3).Select(i => ComputeTimeModel.Poisson(5, 9, i)).ToArray();
        var plain = new WorkerTimes(models);
        var bad = new WorkerTimes(models, badWorker: 1);
        for (var job = 0; job < 50; job++)
        {
            Assert.Equal(plain.Seconds(0, job), bad.Seconds(0, job));
            Assert.Equal(plain.Seconds(1, job) * 100, bad.Seconds(1, job));
            Assert.Equal(plain.Seconds(2, job), bad.Seconds(2, job));
        }
        Assert.Equal(500, bad.Mean(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerTimes(models, badWorker: 3));
    }
}
