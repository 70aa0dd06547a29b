using System.Globalization;

namespace Decentral.Agreement;

public static class AggregationRules
{
    /// <summary>Parses "mid-extremes", "mean", "median", "trimmed-mean" (f = 1) or "trimmed-mean:f".</summary>
    public static IAggregationRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        switch (t)
        {
            case "mid-extremes":
                return MidExtremes.Instance;
            case "mean":
                return Mean.Instance;
            case "median":
                return CoordinateWiseMedian.Instance;
            case "trimmed-mean":
                return new TrimmedMean(1);
        }

        const string trimmedPrefix = "trimmed-mean:";
        if (t.StartsWith(trimmedPrefix, StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(trimmedPrefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f)
            && f >= 0)
        {
            return new TrimmedMean(f);
        }

        throw new ArgumentException(
            $"Unknown aggregation rule '{text}'; expected mid-extremes, mean, median, trimmed-mean or trimmed-mean:F with F >= 0.",
            nameof(text));
    }

    /// <summary>Allocating convenience: a new output vector.</summary>
    public static double[] Aggregate(this IAggregationRule rule, IReadOnlyList<ReadOnlyMemory<double>> inputs)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var d = VectorMath.CommonDimension(inputs, nameof(inputs));
        var output = new double[d];
        rule.Aggregate(inputs, output, Span<double>.Empty);
        return output;
    }

    /// <summary>Common argument checks; returns the dimension.</summary>
    internal static int Validate(
        IAggregationRule rule, IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights)
    {
        var d = VectorMath.CommonDimension(inputs, nameof(inputs));
        if (output.Length != d)
        {
            throw new ArgumentException(
                $"Output has length {output.Length} but the inputs have dimension {d}.", nameof(output));
        }

        if (!weights.IsEmpty)
        {
            if (!rule.ProvidesConvexWeights)
            {
                throw new ArgumentException(
                    $"Rule '{rule.Name}' is not a convex combination of whole vectors and reports no weights; pass an empty span.",
                    nameof(weights));
            }

            if (weights.Length != inputs.Count)
            {
                throw new ArgumentException(
                    $"Expected {inputs.Count} weights, one per input, but got {weights.Length}.", nameof(weights));
            }
        }

        return d;
    }
}
