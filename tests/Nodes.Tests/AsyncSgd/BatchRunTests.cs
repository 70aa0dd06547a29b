using Decentral.Nodes.AsyncSgd;
using Decentral.Simulation;
using System.Numerics.Tensors;
using static Decentral.Nodes.Tests.AsyncSgd.AsyncProblems;

namespace Decentral.Nodes.Tests.AsyncSgd;

public sealed class BatchRunTests
{
    private const double TimeTolerance = 1e-6;

    [Fact]
    public void Minibatch_waits_for_the_slowest_worker_and_equals_full_gradient_descent_on_equal_shards()
    {
        const double eta = 0.3;
        const int steps = 25;
        var problem = FixedTimes(LeastSquaresData(), [1.0, 2.0, 3.0]);
        var result = AsyncSgdRunner.Run(Options(problem, AsyncMethod.Minibatch, 3, eta, steps: steps));

        // Step k completes when the slowest worker (3 time units) delivers: at t = 3k.
        var applied = result.Events.Where(e => e.Kind == ArrivalKind.Applied).ToArray();
        Assert.Equal(steps, applied.Length);
        for (var k = 0; k < steps; k++)
        {
            Assert.Equal(3.0 * (k + 1), applied[k].Time, TimeTolerance);
            Assert.Equal(2, applied[k].Worker);
            Assert.Equal(0, applied[k].Delay);
        }
        Assert.Equal(2 * steps, result.Events.Count(e => e.Kind == ArrivalKind.Buffered));

        // Equal shards and λ = 0: the mean of the local gradients is ∇f, so this is gradient descent.
        var global = problem.GlobalObjective();
        var x = problem.Start();
        var g = new double[x.Length];
        for (var k = 0; k < steps; k++)
        {
            global.Gradient(x, g);
            TensorPrimitives.MultiplyAdd(g, -eta, x, x);
        }
        Assert.True(TensorPrimitives.Distance(x, result.FinalModel) < 1e-12, $"distance {TensorPrimitives.Distance(x, result.FinalModel)}");
    }

    [Fact]
    public void Rennala_steps_on_the_first_s_gradients_at_x_k_and_discards_the_slow_workers_stale_work()
    {
        const double eta = 0.2;
        var problem = FixedTimes(LeastSquaresData(), [1.0, 1.5, 10.0]);
        var options = Options(problem, AsyncMethod.Rennala, 3, eta, steps: 5) with { RennalaBatch = 3 };
        var result = AsyncSgdRunner.Run(options);

        // Per round (2 time units): w0 at +1, w1 at +1.5, w0 again at +2 completes S = 3; w2 (10 units)
        // is preempted every round and never delivers.
        Assert.Equal(15, result.Events.Count);
        for (var k = 0; k < 5; k++)
        {
            var round = result.Events.Skip(3 * k).Take(3).ToArray();
            Assert.Equal([0, 1, 0], round.Select(e => e.Worker));
            Assert.Equal([ArrivalKind.Buffered, ArrivalKind.Buffered, ArrivalKind.Applied], round.Select(e => e.Kind));
            Assert.Equal([(2 * k) + 1.0, (2 * k) + 1.5, (2 * k) + 2.0], round.Select(e => Math.Round(e.Time, 6)));
            Assert.All(round, e => Assert.Equal(k, e.Version));
        }

        // x_{k+1} = x_k − η·(2∇f_0(x_k) + ∇f_1(x_k))/3 with the local objectives of the shards.
        var f0 = problem.LocalObjective(0, 3);
        var f1 = problem.LocalObjective(1, 3);
        var x = problem.Start();
        var g0 = new double[x.Length];
        var g1 = new double[x.Length];
        for (var k = 0; k < 5; k++)
        {
            f0.Gradient(x, g0);
            f1.Gradient(x, g1);
            for (var j = 0; j < x.Length; j++)
            {
                x[j] -= eta * ((2 * g0[j]) + g1[j]) / 3;
            }
        }
        Assert.True(TensorPrimitives.Distance(x, result.FinalModel) < 1e-12, $"distance {TensorPrimitives.Distance(x, result.FinalModel)}");
    }
}
