using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.Training;

/// <summary>The built-in linear models by name (configuration key `decentral.model.objective`).</summary>
public enum ObjectiveKind
{
    /// <summary>Logistic loss + λ Σ x_j²/(1 + x_j²): the seeds' non-convex experiment.</summary>
    LogisticNonConvex,

    /// <summary>Logistic loss + (λ/2)‖x‖²: strongly convex, has an exact optimum.</summary>
    LogisticL2,

    /// <summary>½·mean((aᵀx − b)²) + (λ/2)‖x‖².</summary>
    LeastSquares,
}

public static class ObjectiveFactory
{
    public static ObjectiveKind Parse(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "logistic-nonconvex" => ObjectiveKind.LogisticNonConvex,
        "logistic-l2" => ObjectiveKind.LogisticL2,
        "least-squares" => ObjectiveKind.LeastSquares,
        _ => throw new ArgumentException(
            $"Unknown objective '{text}'; expected logistic-nonconvex, logistic-l2 or least-squares.", nameof(text)),
    };

    public static string Name(ObjectiveKind kind) => kind switch
    {
        ObjectiveKind.LogisticNonConvex => "logistic-nonconvex",
        ObjectiveKind.LogisticL2 => "logistic-l2",
        _ => "least-squares",
    };

    /// <summary>The factory of the built-in linear model <paramref name="kind"/> with weight <paramref name="lambda"/>.</summary>
    public static ModelFactory Model(ObjectiveKind kind, double lambda) => kind switch
    {
        ObjectiveKind.LogisticNonConvex => LinearModels.LogisticNonConvex(lambda),
        ObjectiveKind.LogisticL2 => LinearModels.LogisticL2(lambda),
        _ => LinearModels.LeastSquares(lambda),
    };

    /// <summary>The objective of model <paramref name="kind"/> over <paramref name="data"/>.</summary>
    public static ModelObjective Create(ObjectiveKind kind, Dataset data, double lambda) =>
        new(Model(kind, lambda)(data), data);

    /// <summary>Labels a data file needs for the objective: binary ±1 for logistic, raw targets for least squares.</summary>
    public static LabelMode LabelsFor(ObjectiveKind kind) => kind == ObjectiveKind.LeastSquares ? LabelMode.Raw : LabelMode.Binary;
}
