using Decentral.Nodes.Data;
using Decentral.Nodes.Models;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// Factories of the built-in linear models for <see cref="Training.TrainingSpec.Model"/>: one parameter
/// per feature of the training data, x₁ = 0. The logistic ones check that every label is ±1.
/// </summary>
public static class LinearModels
{
    /// <summary>Logistic loss + λ Σ xⱼ²/(1 + xⱼ²): the seeds' non-convex experiment (the default model).</summary>
    public static ModelFactory LogisticNonConvex(double lambda = 0.01)
    {
        Glm.CheckLambda(lambda);
        return data => new LogisticNonConvex(Glm.CheckBinaryLabels(data).Dimension, lambda);
    }

    /// <summary>Logistic loss + (λ/2)‖x‖²: strongly convex for λ &gt; 0, with an exact optimum.</summary>
    public static ModelFactory LogisticL2(double lambda)
    {
        Glm.CheckLambda(lambda);
        return data => new LogisticL2(Glm.CheckBinaryLabels(data).Dimension, lambda);
    }

    /// <summary>½·mean((aᵀx − b)²) + (λ/2)‖x‖²; the labels are the targets.</summary>
    public static ModelFactory LeastSquares(double lambda = 0)
    {
        Glm.CheckLambda(lambda);
        return data => new LeastSquares(CheckData(data).Dimension, lambda);
    }

    private static Dataset CheckData(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data;
    }
}
