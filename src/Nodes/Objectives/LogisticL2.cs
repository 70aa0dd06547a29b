using Decentral.Nodes.Data;
using System.Numerics.Tensors;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// L2-regularised logistic regression, f(x) = (1/N) Σ log(1 + exp(−bᵢ aᵢᵀx)) + (λ/2)‖x‖².
/// λ-strongly convex for λ > 0, so it has a unique optimum (see <see cref="Optimization.ExactSolver"/>).
/// Labels must be ±1.
/// </summary>
public sealed class LogisticL2 : GlmObjective<LogisticLossFunction>
{
    public LogisticL2(Dataset data, double lambda)
        : base(Glm.CheckBinaryLabels(data), lambda)
    {
        // Hessian ⪯ (1/4N) AᵀA + λI; the trace bounds the largest eigenvalue of the first term.
        SmoothnessEstimate = Glm.MeanRowNormSquared(data) / 4 + Lambda;
    }

    public override double SmoothnessEstimate { get; }

    private protected override double Regulariser(ReadOnlySpan<double> x) => Lambda / 2 * Decentral.Agreement.VectorMath.SumOfSquares(x);

    private protected override double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        TensorPrimitives.MultiplyAdd(x, Lambda, gradient, gradient);
        return Regulariser(x);
    }
}
