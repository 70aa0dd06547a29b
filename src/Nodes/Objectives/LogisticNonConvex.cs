using Decentral.Nodes.Data;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// Logistic regression with the non-convex regulariser of the seeds' experiment:
/// f(x) = (1/N) Σ log(1 + exp(−bᵢ aᵢᵀx)) + λ Σⱼ xⱼ²/(1 + xⱼ²). Labels must be ±1.
/// </summary>
public sealed class LogisticNonConvex : IObjective
{
    public LogisticNonConvex(Dataset data, double lambda)
    {
        ArgumentNullException.ThrowIfNull(data);
        Glm.CheckBinaryLabels(data);
        Data = data;
        Lambda = Glm.CheckLambda(lambda);
        // Data term: Hessian (1/N) Σ σ(1−σ) a aᵀ ⪯ (1/4N) AᵀA, whose largest eigenvalue is at most its
        // trace. Regulariser: φ(u) = u²/(1+u²) has φ''(u) = (2 − 6u²)/(1+u²)³, so |φ''| ≤ 2.
        SmoothnessEstimate = Glm.MeanRowNormSquared(data) / 4 + 2 * Lambda;
    }

    public Dataset Data { get; }

    public double Lambda { get; }

    public int Dimension => Data.Dimension;

    public int Rows => Data.Rows;

    public double SmoothnessEstimate { get; }

    public double Value(ReadOnlySpan<double> x)
    {
        Glm.CheckModel(Dimension, x);
        return Glm.Value<LogisticLossFunction>(Data, x) + Regulariser(x);
    }

    public double Gradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckGradient(Dimension, gradient);
        return Glm.Gradient<LogisticLossFunction>(Data, x, gradient) + AddRegulariserGradient(x, gradient);
    }

    public double MiniBatchValue(ReadOnlySpan<double> x, ReadOnlySpan<int> rows)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckRows(rows);
        return Glm.Value<LogisticLossFunction>(Data, x, rows) + Regulariser(x);
    }

    public double MiniBatchGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckGradient(Dimension, gradient);
        Glm.CheckRows(rows);
        return Glm.Gradient<LogisticLossFunction>(Data, x, rows, gradient) + AddRegulariserGradient(x, gradient);
    }

    private double Regulariser(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            var s = v * v;
            sum += s / (1 + s);
        }
        return Lambda * sum;
    }

    private double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient)
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
