using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.Tests.Models;

/// <summary>How <see cref="FaultyModel"/> breaks its contract.</summary>
public enum ModelFault
{
    None,
    WritesNaN,
    WritesInfinity,
    ShortGradient,
    Throws,
    ChangesDimension,
    NonFiniteLoss,
}

/// <summary>
/// A user's model with a bug: logistic-l2 that, from its <paramref name="fromCall"/>-th gradient on and only
/// on data whose name contains <paramref name="onData"/> (one node's shard), breaks in the given way.
/// </summary>
public sealed class FaultyModel(int dimension, ModelFault fault, int fromCall = 1, string onData = "", double start = 0) : IModel
{
    private readonly LogisticL2 inner = new(dimension, 0.01);
    private int calls;
    private bool broken;

    public string Name => "faulty";

    public int Dimension => broken && fault == ModelFault.ChangesDimension ? dimension + 1 : dimension;

    public void InitializeParameters(ulong seed, Span<double> parameters) => parameters.Fill(start);

    public double LossAndGradient(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch, Span<double> gradient)
    {
        if (examples.Name.Contains(onData, StringComparison.Ordinal) && ++calls >= fromCall)
        {
            broken = true;
        }
        if (broken && fault == ModelFault.Throws)
        {
            throw new InvalidOperationException("bug in the user's model");
        }
        if (broken && fault == ModelFault.ShortGradient)
        {
            // Writes only its first three coordinates (an off-by-a-layer bug in a hand-written backward pass).
            var full = new double[dimension];
            var value = inner.LossAndGradient(parameters, examples, batch, full);
            full.AsSpan(0, 3).CopyTo(gradient);
            return value;
        }
        var loss = inner.LossAndGradient(parameters, examples, batch, gradient);
        if (!broken)
        {
            return loss;
        }
        switch (fault)
        {
            case ModelFault.WritesNaN:
                gradient[1] = double.NaN;
                break;
            case ModelFault.WritesInfinity:
                gradient[2] = double.PositiveInfinity;
                break;
            case ModelFault.NonFiniteLoss:
                return double.NaN;
        }
        return loss;
    }

    public double Loss(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch) => inner.Loss(parameters, examples, batch);

    public ModelEvaluation Evaluate(ReadOnlySpan<double> parameters, Dataset examples) => inner.Evaluate(parameters, examples);
}
