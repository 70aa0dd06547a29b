using Decentral.Nodes.Data;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// f(x) = (1/N) Σ ℓ(aᵢᵀx, bᵢ) + R(x) over a data set: the checks and the data term the generalised linear
/// objectives share. A subclass names the loss, the regulariser R and the smoothness bound.
/// </summary>
public abstract class GlmObjective<TLoss> : IObjective
    where TLoss : struct, IPredictionLoss
{
    private protected GlmObjective(Dataset data, double lambda)
    {
        ArgumentNullException.ThrowIfNull(data);
        Data = data;
        Lambda = Glm.CheckLambda(lambda);
    }

    public Dataset Data { get; }

    public double Lambda { get; }

    public int Dimension => Data.Dimension;

    public int Rows => Data.Rows;

    public abstract double SmoothnessEstimate { get; }

    public double Value(ReadOnlySpan<double> x)
    {
        Glm.CheckModel(Dimension, x);
        return Glm.Value<TLoss>(Data, x) + Regulariser(x);
    }

    public double Gradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckGradient(Dimension, gradient);
        return Glm.Gradient<TLoss>(Data, x, gradient) + AddRegulariserGradient(x, gradient);
    }

    public double MiniBatchValue(ReadOnlySpan<double> x, ReadOnlySpan<int> rows)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckRows(rows);
        return Glm.Value<TLoss>(Data, x, rows) + Regulariser(x);
    }

    public double MiniBatchGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient)
    {
        Glm.CheckModel(Dimension, x);
        Glm.CheckGradient(Dimension, gradient);
        Glm.CheckRows(rows);
        return Glm.Gradient<TLoss>(Data, x, rows, gradient) + AddRegulariserGradient(x, gradient);
    }

    /// <summary>R(x).</summary>
    private protected abstract double Regulariser(ReadOnlySpan<double> x);

    /// <summary>Adds ∇R(x) to <paramref name="gradient"/>; returns R(x).</summary>
    private protected abstract double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient);
}
