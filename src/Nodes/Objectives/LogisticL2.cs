using Decentral.Nodes.Data;
using System.Numerics.Tensors;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// L2-regularised logistic regression, f(x) = (1/N) Σ log(1 + exp(−bᵢ aᵢᵀx)) + (λ/2)‖x‖².
/// λ-strongly convex for λ > 0, so it has a unique optimum (see <see cref="Optimization.ExactSolver"/>).
/// Labels must be ±1.
/// </summary>
public sealed class LogisticL2 : IObjective
{
    public LogisticL2(Dataset data, double lambda)
    {
        ArgumentNullException.ThrowIfNull(data);
        Glm.CheckBinaryLabels(data);
        Data = data;
        Lambda = Glm.CheckLambda(lambda);
        // Hessian ⪯ (1/4N) AᵀA + λI; the trace bounds the largest eigenvalue of the first term.
        SmoothnessEstimate = Glm.MeanRowNormSquared(data) / 4 + Lambda;
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

    private double Regulariser(ReadOnlySpan<double> x) => Lambda / 2 * TensorPrimitives.SumOfSquares(x);

    private double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        TensorPrimitives.MultiplyAdd(x, Lambda, gradient, gradient);
        return Regulariser(x);
    }
}
