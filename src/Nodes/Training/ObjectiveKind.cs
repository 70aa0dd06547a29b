using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.Training;

/// <summary>The objectives a run can train (configuration key `decentral.model.objective`).</summary>
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

    public static IObjective Create(ObjectiveKind kind, Dataset data, double lambda) => kind switch
    {
        ObjectiveKind.LogisticNonConvex => new LogisticNonConvex(data, lambda),
        ObjectiveKind.LogisticL2 => new LogisticL2(data, lambda),
        _ => new LeastSquares(data, lambda),
    };

    /// <summary>Labels a data file needs for the objective: binary ±1 for logistic, raw targets for least squares.</summary>
    public static LabelMode LabelsFor(ObjectiveKind kind) => kind == ObjectiveKind.LeastSquares ? LabelMode.Raw : LabelMode.Binary;
}
