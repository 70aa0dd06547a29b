namespace Decentral.Nodes.Models;

/// <summary>
/// A model's output broke the contract of <see cref="IModel"/> where it enters the protocol: it threw,
/// wrote NaN/∞, left gradient coordinates unwritten, changed its dimension, or started from other
/// parameters than the rest of the run. Names the model (its name and .NET type), the node and the
/// iteration; the node stops as if it had crashed and the others go on.
/// </summary>
public sealed class ModelFailureException : Exception
{
    public ModelFailureException(string modelName, string modelType, string node, int? iteration, string problem, Exception? inner = null)
        : base($"model '{modelName}' ({modelType}) on node {node} at {(iteration is { } t ? $"iteration {t}" : "start")}: {problem}", inner)
    {
        ModelName = modelName;
        ModelType = modelType;
        Node = node;
        Iteration = iteration;
        Problem = problem;
    }

    /// <summary>The model's <see cref="IModel.Name"/> (or its type's name when that throws too).</summary>
    public string ModelName { get; }

    /// <summary>The model's .NET type.</summary>
    public string ModelType { get; }

    /// <summary>The node whose instance failed (e.g. <c>c2/n1</c>).</summary>
    public string Node { get; }

    /// <summary>The iteration whose gradient failed; null when the node was starting (factory, x₁).</summary>
    public int? Iteration { get; }

    /// <summary>What was wrong, without the model, node and iteration.</summary>
    public string Problem { get; }

    /// <summary>A failure of <paramref name="model"/>, named by its own <see cref="IModel.Name"/> and type.</summary>
    public static ModelFailureException Of(IModel model, string node, int? iteration, string problem, Exception? inner = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelFailureException(SafeName(model), TypeName(model.GetType()), node, iteration, problem, inner);
    }

    public static string TypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.FullName ?? type.Name;
    }

    // A broken model may throw from Name as well; the error must still come out.
    private static string SafeName(IModel model)
    {
        try
        {
            return model.Name ?? model.GetType().Name;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return model.GetType().Name;
        }
    }
}
