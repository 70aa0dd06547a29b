using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Optimization;
using System.Numerics.Tensors;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// Least squares, F(x) = ½ · (1/N) Σ (aᵢᵀx − bᵢ)² + (λ/2)‖x‖² (λ = 0 by default, as in Mishchenko
/// et al.'s experiment). The labels are the regression targets (read LIBSVM files with
/// <see cref="LabelMode.Raw"/> to keep them as written).
/// </summary>
public sealed class LeastSquares : GlmModel<SquaredLossFunction>, IHasExactOptimum
{
    public LeastSquares(int dimension, double lambda = 0)
        : base(dimension, lambda)
    {
    }

    public override string Name => "least-squares";

    public override bool Classifies => false;

    /// <summary>The normal equations have a unique solution unless the data are rank-deficient (then the solver says so).</summary>
    public bool HasExactOptimum => true;

    // Hessian = (1/N) AᵀA + λI; its largest eigenvalue is at most the trace of the first term plus λ.
    public override double SmoothnessEstimate(Dataset data) => Glm.MeanRowNormSquared(data) + Lambda;

    public ExactSolution SolveExactly(Dataset data, double tolerance = ExactSolver.DefaultTolerance) => ExactSolver.Solve(this, data, tolerance);

    private protected override double Regulariser(ReadOnlySpan<double> x) => Lambda == 0 ? 0 : Lambda / 2 * Decentral.Agreement.VectorMath.SumOfSquares(x);

    private protected override double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (Lambda == 0)
        {
            return 0;
        }
        TensorPrimitives.MultiplyAdd(x, Lambda, gradient, gradient);
        return Regulariser(x);
    }
}
