using Decentral.Nodes.Data;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// Logistic regression with the non-convex regulariser of the seeds' experiment:
/// f(x) = (1/N) Σ log(1 + exp(−bᵢ aᵢᵀx)) + λ Σⱼ xⱼ²/(1 + xⱼ²). Labels must be ±1
/// (<see cref="LinearModels.LogisticNonConvex"/> checks them).
/// </summary>
public sealed class LogisticNonConvex : GlmModel<LogisticLossFunction>
{
    public LogisticNonConvex(int dimension, double lambda)
        : base(dimension, lambda)
    {
    }

    public override string Name => "logistic-nonconvex";

    public override bool Classifies => true;

    // Data term: Hessian (1/N) Σ σ(1−σ) a aᵀ ⪯ (1/4N) AᵀA, whose largest eigenvalue is at most its
    // trace. Regulariser: φ(u) = u²/(1+u²) has φ''(u) = (2 − 6u²)/(1+u²)³, so |φ''| ≤ 2.
    public override double SmoothnessEstimate(Dataset data) => Glm.MeanRowNormSquared(data) / 4 + 2 * Lambda;

    private protected override double Regulariser(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            var s = v * v;
            sum += s / (1 + s);
        }
        return Lambda * sum;
    }

    private protected override double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        // d/du u²/(1+u²) = 2u/(1+u²)²
        var sum = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            var s = x[j] * x[j];
            var d = 1 + s;
            sum += s / d;
            gradient[j] += Lambda * 2 * x[j] / (d * d);
        }
        return Lambda * sum;
    }
}
