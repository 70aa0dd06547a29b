namespace Decentral.Agreement;

/// <summary>The arithmetic mean of the inputs (weights 1/k each).</summary>
public sealed class Mean : IAggregationRule
{
    public static Mean Instance { get; } = new();

    public string Name => "mean";

    public bool ProvidesConvexWeights => true;

    public void Aggregate(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights)
    {
        AggregationRules.Validate(this, inputs, output, weights);
        VectorMath.Mean(inputs, output);
        weights.Fill(1.0 / inputs.Count);
    }
}
