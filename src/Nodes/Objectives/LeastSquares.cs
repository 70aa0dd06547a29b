using Decentral.Nodes.Data;
using System.Numerics.Tensors;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// Least squares, F(x) = ½ · (1/N) Σ (aᵢᵀx − bᵢ)² + (λ/2)‖x‖² (λ = 0 by default, as in Mishchenko
/// et al.'s experiment). The labels are the regression targets (read LIBSVM files with
/// <see cref="LabelMode.Raw"/> to keep them as written).
/// </summary>
public sealed class LeastSquares : IObjective
{
    public LeastSquares(Dataset data, double lambda = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        Lambda = Glm.CheckLambda(lambda);
        // Hessian = (1/N) AᵀA + λI; its largest eigenvalue is at most the trace of the first term plus λ.
        SmoothnessEstimate = Glm.MeanRowNormSquared(data) + Lambda;
    }

    public Dataset Data { get; }

    public double Lambda { get; }

    public int Dimension => Data.Dimension;

    public int Rows => Data.Rows;

    public double SmoothnessEstimate { get; }

    public double Value(ReadOnlySpan<double> x)
    {
        Glm.CheckModel(Dimension, x);
        return Glm.Value<SquaredLossFunction>(Data, x) + Regulariser(x);
    }

    public double Gradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckGradient(Dimension, gradient);
        return Glm.Gradient<SquaredLossFunction>(Data, x, gradient) + AddRegulariserGradient(x, gradient);
    }

    public double MiniBatchValue(ReadOnlySpan<double> x, ReadOnlySpan<int> rows)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckRows(rows);
        return Glm.Value<SquaredLossFunction>(Data, x, rows) + Regulariser(x);
    }

    public double MiniBatchGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckGradient(Dimension, gradient);
        Glm.CheckRows(rows);
        return Glm.Gradient<SquaredLossFunction>(Data, x, rows, gradient) + AddRegulariserGradient(x, gradient);
    }

    private double Regulariser(ReadOnlySpan<double> x) => Lambda == 0 ? 0 : Lambda / 2 * TensorPrimitives.SumOfSquares(x);

    private double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (Lambda == 0)
        {
            return 0;
        }
        TensorPrimitives.MultiplyAdd(x, Lambda, gradient, gradient);
        return Regulariser(x);
    }
}
