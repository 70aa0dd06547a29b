using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Optimization;
using System.Numerics.Tensors;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// L2-regularised logistic regression, f(x) = (1/N) Σ log(1 + exp(−bᵢ aᵢᵀx)) + (λ/2)‖x‖².
/// λ-strongly convex for λ > 0, so it has a unique optimum (see <see cref="ExactSolver"/>).
/// Labels must be ±1 (<see cref="LinearModels.LogisticL2"/> checks them).
/// </summary>
public sealed class LogisticL2 : GlmModel<LogisticLossFunction>, IHasExactOptimum
{
    public LogisticL2(int dimension, double lambda)
        : base(dimension, lambda)
    {
    }

    public override string Name => "logistic-l2";

    public override bool Classifies => true;

    public bool HasExactOptimum => Lambda > 0;

    // Hessian ⪯ (1/4N) AᵀA + λI; the trace bounds the largest eigenvalue of the first term.
    public override double SmoothnessEstimate(Dataset data) => Glm.MeanRowNormSquared(data) / 4 + Lambda;

    public ExactSolution SolveExactly(Dataset data, double tolerance = ExactSolver.DefaultTolerance) => ExactSolver.Solve(this, data, tolerance);

    private protected override double Regulariser(ReadOnlySpan<double> x) => Lambda / 2 * Decentral.Agreement.VectorMath.SumOfSquares(x);

    private protected override double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        TensorPrimitives.MultiplyAdd(x, Lambda, gradient, gradient);
        return Regulariser(x);
    }
}
