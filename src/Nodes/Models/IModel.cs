using Decentral.Nodes.Data;

namespace Decentral.Nodes.Models;

/// <summary>
/// A model with a flat parameter vector: what the protocols train. The decentralized nodes and the
/// asynchronous SGD family see only this interface — the built-in objectives (the GLMs, the MLP) and
/// a user's own model implement it alike.
/// </summary>
/// <remarks>
/// A model is a function of its parameters and a batch of examples (as JAX's <c>value_and_grad</c>):
/// it carries no state from one call to the next that changes a result. Each node gets its own
/// instance (from a factory), so an implementation may keep scratch buffers; one instance is never
/// called from two threads at once. Examples are read by index from a <see cref="Dataset"/> (dense or
/// sparse rows, one label per row), which the runtime splits across nodes (shared or sharded) and
/// from which it holds out a test set.
/// </remarks>
public interface IModel
{
    /// <summary>A short name for errors and reports (e.g. <c>mlp 64-64-10</c>).</summary>
    string Name { get; }

    /// <summary>Length of the parameter vector.</summary>
    int Dimension { get; }

    /// <summary>
    /// Writes the initial parameters x₁ into <paramref name="parameters"/> (length <see cref="Dimension"/>):
    /// a function of <paramref name="seed"/> alone, so every node starts from the same model.
    /// </summary>
    void InitializeParameters(ulong seed, Span<double> parameters);

    /// <summary>
    /// The mean loss over the rows <paramref name="batch"/> of <paramref name="examples"/> (plus any
    /// regulariser) at <paramref name="parameters"/>; its gradient is written into
    /// <paramref name="gradient"/> (overwritten, length <see cref="Dimension"/>).
    /// </summary>
    double LossAndGradient(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch, Span<double> gradient);

    /// <summary>The mean loss over the rows <paramref name="batch"/> (plus any regulariser).</summary>
    double Loss(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch);

    /// <summary>
    /// Loss over every row of <paramref name="examples"/> and, for a classifier, the fraction of rows
    /// predicted correctly (<see cref="double.NaN"/> when the model does not classify).
    /// </summary>
    ModelEvaluation Evaluate(ReadOnlySpan<double> parameters, Dataset examples);
}

/// <summary>What <see cref="IModel.Evaluate"/> reports: the mean loss and, for classifiers, the accuracy in [0, 1] (else NaN).</summary>
public readonly record struct ModelEvaluation(double Loss, double Accuracy)
{
    public bool HasAccuracy => !double.IsNaN(Accuracy);
}
