using System.Numerics.Tensors;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.Models.Mlp;

/// <summary>
/// The loss on the output layer's scores and its derivative with respect to them, in overflow-free
/// forms: softmax cross-entropy through the log-sum-exp with the maximum taken out (no exponential of
/// a positive number), the logistic loss through <see cref="StableMath"/>.
/// </summary>
internal static class OutputLoss
{
    /// <summary>
    /// Softmax cross-entropy of one row of scores z for class y: log Σ exp(z) − z_y; writes
    /// scale·(softmax(z) − e_y), its derivative, into <paramref name="delta"/> (same length as z). The
    /// loss alone is computed the same way, so it equals the value returned with the gradient bit for bit.
    /// </summary>
    public static double SoftmaxCrossEntropy(ReadOnlySpan<double> scores, int label, double scale, Span<double> delta)
    {
        var max = TensorPrimitives.Max(scores);
        TensorPrimitives.Subtract(scores, max, delta);
        TensorPrimitives.Exp(delta, delta);
        var sum = TensorPrimitives.Sum<double>(delta);
        TensorPrimitives.Multiply(delta, scale / sum, delta);
        delta[label] -= scale;
        // sum ≥ 1 (the maximum's own term), so the logarithm is finite.
        return Math.Log(sum) + max - scores[label];
    }

    /// <summary>
    /// Logistic loss log(1 + exp(−y·z)) of one score z for y = ±1; the derivative scale·(−y·σ(−y·z)) goes
    /// to <paramref name="delta"/>.
    /// </summary>
    public static double Logistic(double score, double sign, double scale, out double delta)
    {
        var margin = sign * score;
        delta = -sign * StableMath.Sigmoid(-margin) * scale;
        return StableMath.LogisticLoss(margin);
    }

    /// <summary>The class index of a multi-class row's label, checked.</summary>
    public static int ClassOf(Dataset data, int row, int classes)
    {
        var label = data.Label(row);
        var c = (int)label;
        if (c != label || c < 0 || c >= classes)
        {
            throw new ArgumentException(
                $"Row {row} of {data.Name} has label {label}, not a class index in [0, {classes}): read the data as multi-class (LabelMode.MultiClass), which maps any K labels to 0 … K−1.",
                "examples");
        }
        return c;
    }

    /// <summary>+1 or −1 for a binary row's label (±1, or 0/1 as read in multi-class mode), checked.</summary>
    public static double SignOf(Dataset data, int row)
    {
        var label = data.Label(row);
        return label switch
        {
            1.0 => 1.0,
            -1.0 or 0.0 => -1.0,
            _ => throw new ArgumentException($"Row {row} of {data.Name} has label {label}; a two-class MLP needs labels ±1 or 0/1.", "examples"),
        };
    }

    /// <summary>Index of the largest score (the first one on ties).</summary>
    public static int ArgMax(ReadOnlySpan<double> scores) => TensorPrimitives.IndexOfMax(scores);
}
