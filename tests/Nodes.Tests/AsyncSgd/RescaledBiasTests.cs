using Decentral.Nodes.AsyncSgd;
using Decentral.Simulation;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using System.Numerics.Tensors;
using static Decentral.Nodes.Tests.AsyncSgd.AsyncProblems;

using Decentral.Nodes.Tests.Objectives;

namespace Decentral.Nodes.Tests.AsyncSgd;

/// <summary>
/// Two workers with different data (least squares, different targets) and different speeds (1 and 4
/// time units per gradient). Vanilla ASGD applies four fast gradients per slow one, so it settles at
/// the minimiser of 4 f_0 + f_1; Rescaled ASGD weights both equally and settles at the minimiser of
/// f = (f_0 + f_1)/2. Both reference points are computed exactly (normal equations).
/// </summary>
public sealed class RescaledBiasTests
{
    private static readonly double[][] Rows0 = [[1.0, 0.5], [0.2, 1.0]];
    private static readonly double[][] Rows1 = [[1.0, -0.3], [0.4, 1.0]];
    private static readonly double[] Targets0 = [1.0, 1.0];
    private static readonly double[] Targets1 = [-1.0, 3.0];

    [Fact]
    public void Rescaled_asgd_converges_to_the_global_optimum_where_vanilla_asgd_is_biased_to_the_fast_worker()
    {
        var data = Dataset.FromDense([.. Rows0, .. Rows1], [.. Targets0, .. Targets1], "two-workers");
        var problem = FixedTimes(data, [1.0, 4.0]) with { InitialModel = [0.0, 0.0] };
        var optimum = ExactSolver.Solve(Glms.LeastSquares(data)).Model;
        // Minimiser of 4·f_0 + f_1: each of worker 0's rows four times, worker 1's once.
        var weighted = Dataset.FromDense(
            [.. Rows0, .. Rows0, .. Rows0, .. Rows0, .. Rows1],
            [.. Targets0, .. Targets0, .. Targets0, .. Targets0, .. Targets1]);
        var biased = ExactSolver.Solve(Glms.LeastSquares(weighted)).Model;
        var gap = TensorPrimitives.Distance(optimum, biased);
        Assert.True(gap > 0.3, $"the test needs clearly different fixed points (gap {gap})");

        var vanilla = AsyncSgdRunner.Run(Options(problem, AsyncMethod.Pure, 2, 0.02, time: 2000)).FinalModel;
        var rescaled = AsyncSgdRunner.Run(Options(problem, AsyncMethod.Rescaled, 2, 0.02, time: 2000)).FinalModel;

        var vanillaToOptimum = TensorPrimitives.Distance(vanilla, optimum);
        var vanillaToBiased = TensorPrimitives.Distance(vanilla, biased);
        var rescaledToOptimum = TensorPrimitives.Distance(rescaled, optimum);
        var report = $"‖vanilla − x*‖ = {vanillaToOptimum:G4}, ‖vanilla − x_biased‖ = {vanillaToBiased:G4}, ‖rescaled − x*‖ = {rescaledToOptimum:G4}, gap {gap:G4}";
        Assert.True(vanillaToBiased < 0.1 * gap, report);
        Assert.True(vanillaToOptimum > 0.8 * gap, report);
        Assert.True(rescaledToOptimum < 0.1 * gap, report);
    }
}
