using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Training;
using Decentral.Simulation;
using static Decentral.Nodes.Tests.AsyncSgd.AsyncProblems;

namespace Decentral.Nodes.Tests.AsyncSgd;

public sealed class DelayTests
{
    [Fact]
    public void The_histogram_is_exact_below_its_limit_and_within_a_factor_of_two_above()
    {
        var h = new DelayHistogram();
        for (var d = 0; d < 100; d++)
        {
            h.Add(d);
        }
        h.Add(10_000);

        Assert.Equal(101, h.Count);
        Assert.Equal(10_000, h.Max);
        Assert.Equal((4950 + 10_000) / 101.0, h.Mean, 12);
        Assert.Equal(50, h.Quantile(0.5)); // the 51st of 101 values
        Assert.Equal(0, h.Quantile(0));
        Assert.Equal(10_000, h.Quantile(1)); // bucket [8192, 16383], capped at the maximum
        Assert.Equal(100 / 101.0, h.FractionAtMost(99), 12);
        Assert.Equal(0, new DelayHistogram().Quantile(0.5));
    }

    [Fact]
    public void The_stable_step_for_a_delay_matches_the_delayed_quadratic_recurrence()
    {
        // x_{k+1} = x_k − η L x_{k−τ}: just below the limit it decays, just above it grows.
        const double l = 0.25;
        foreach (var tau in new[] { 0, 1, 5, 39 })
        {
            var limit = DelayStability.StableStep(l, tau);
            Assert.True(Decays(0.98 * limit * l, tau), $"τ = {tau}: 0.98 × limit should be stable");
            Assert.False(Decays(1.02 * limit * l, tau), $"τ = {tau}: 1.02 × limit should diverge");
        }
        Assert.Equal(8.0, DelayStability.StableStep(l, 0), 12); // 2/L without delay
        Assert.Equal(0.159, DelayStability.StableStep(l, 39), 3); // the seeds' ≈ 0.16 for delays ≈ M − 1 = 39

        static bool Decays(double etaL, int tau)
        {
            var x = new double[tau + 1];
            Array.Fill(x, 1.0);
            var history = new Queue<double>(x);
            var current = 1.0;
            for (var k = 0; k < 20_000; k++)
            {
                var stale = history.Dequeue();
                current -= etaL * stale;
                history.Enqueue(current);
            }
            return Math.Abs(current) < 1;
        }
    }

    [Fact]
    public void Power_iteration_finds_the_largest_curvature_of_least_squares()
    {
        var data = LeastSquaresData();
        var objective = ObjectiveFactory.Create(ObjectiveKind.LeastSquares, data, 0);
        // H = AᵀA / n (F = ½ mean((Ax − b)²)): compare with the largest eigenvalue from MathNet.
        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowArrays(Enumerable.Range(0, data.Rows).Select(i =>
        {
            var row = new double[data.Dimension];
            data.AddScaledRow(i, 1, row);
            return row;
        }));
        var h = a.TransposeThisAndMultiply(a) / data.Rows;
        var expected = h.Evd().EigenValues.Select(v => v.Real).Max();

        Assert.Equal(expected, DelayStability.Smoothness(objective, new double[data.Dimension]), 6);
    }

    [Fact]
    public void Heavy_tailed_speeds_give_most_gradients_small_delays_and_a_long_tail()
    {
        var problem = FixedTimes(LeastSquaresData(240), [1.0]) with
        {
            WorkerScales = null,
            ComputeTime = ComputeTimeKind.Fixed,
            ComputeScale = 1,
            Speeds = SpeedProfile.HeavyTailed,
            SpeedSpread = 1.2,
            Seed = 2022,
        };
        var options = Options(problem, AsyncMethod.Pure, 40, 0.001, steps: 20_000) with { KeepEvents = false, TraceEvery = 0 };

        var heavy = AsyncSgdRunner.Run(options).Delays;
        var uniform = AsyncSgdRunner.Run(options with { Problem = problem with { Speeds = SpeedProfile.Uniform } }).Delays;

        // Same speeds: delays cluster around M − 1 = 39 (ties between equal durations break in seeded
        // order) and never reach 2M. Heavy-tailed: Little's law keeps the mean near M − 1, but the median
        // is far below M and the maximum far above.
        var report = $"uniform: median {uniform.Quantile(0.5)}, max {uniform.Max}; heavy: median {heavy.Quantile(0.5)}, mean {heavy.Mean:F1}, max {heavy.Max}";
        Assert.True(uniform.Quantile(0.5) is >= 30 and <= 45 && uniform.Max < 80, report);
        Assert.True(heavy.Mean is >= 30 and <= 45, report);
        Assert.True(heavy.Quantile(0.5) < 25, report);
        Assert.True(heavy.Max > 300, report);
        Assert.Equal(problem.ScaleOf(7), problem.ScaleOf(7));
        Assert.Equal(WorkerSpeeds.HeavyTailedFactor(2022, 7, 1.2), problem.ScaleOf(7));
    }
}
