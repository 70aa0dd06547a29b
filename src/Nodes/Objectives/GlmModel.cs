using Decentral.Nodes.Data;
using Decentral.Nodes.Models;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// A generalised linear model, f(x) = (1/|B|) Σ_{i∈B} ℓ(aᵢᵀx, bᵢ) + R(x) over the rows B of a data set:
/// the checks and the data term the built-in linear models share. A subclass names the loss, the
/// regulariser R, the smoothness bound and whether it classifies. x₁ is zero (for every seed).
/// Stateless: one instance may serve any number of callers.
/// </summary>
public abstract class GlmModel<TLoss> : IModel, ISmoothModel
    where TLoss : struct, IPredictionLoss
{
    private protected GlmModel(int dimension, double lambda)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Lambda = Glm.CheckLambda(lambda);
    }

    /// <summary>The objective's name as configured (<c>decentral.model.objective</c>).</summary>
    public abstract string Name { get; }

    public int Dimension { get; }

    /// <summary>The regularisation weight λ.</summary>
    public double Lambda { get; }

    /// <summary>True for the logistic models (labels ±1, accuracy reported), false for least squares.</summary>
    public abstract bool Classifies { get; }

    public void InitializeParameters(ulong seed, Span<double> parameters)
    {
        Glm.CheckGradient(Dimension, parameters);
        parameters.Clear();
    }

    public double LossAndGradient(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch, Span<double> gradient)
    {
        Check(parameters, examples);
        Glm.CheckGradient(Dimension, gradient);
        Glm.CheckRows(batch);
        return Glm.Gradient<TLoss>(examples, parameters, batch, gradient) + AddRegulariserGradient(parameters, gradient);
    }

    public double Loss(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch)
    {
        Check(parameters, examples);
        Glm.CheckRows(batch);
        return Glm.Value<TLoss>(examples, parameters, batch) + Regulariser(parameters);
    }

    public ModelEvaluation Evaluate(ReadOnlySpan<double> parameters, Dataset examples)
    {
        Check(parameters, examples);
        var loss = Glm.Value<TLoss>(examples, parameters) + Regulariser(parameters);
        return new ModelEvaluation(loss, Classifies ? Glm.SignAccuracy(examples, parameters) : double.NaN);
    }

    public abstract double SmoothnessEstimate(Dataset data);

    public override string ToString() => $"{Name} λ={Lambda}";

    /// <summary>R(x).</summary>
    private protected abstract double Regulariser(ReadOnlySpan<double> x);

    /// <summary>Adds ∇R(x) to <paramref name="gradient"/>; returns R(x).</summary>
    private protected abstract double AddRegulariserGradient(ReadOnlySpan<double> x, Span<double> gradient);

    private void Check(ReadOnlySpan<double> parameters, Dataset examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        Glm.CheckModel(Dimension, parameters);
        if (examples.Dimension != Dimension)
        {
            throw new ArgumentException(
                $"{Name} has {Dimension} parameters, one per feature, but {examples.Name} has {examples.Dimension} features.", nameof(examples));
        }
    }
}
