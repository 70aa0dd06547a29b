namespace Decentral.Agreement.Simulation;

/// <summary>Diameters, contraction ratios and validity checks over the values a run recorded.</summary>
internal static class SimulationAnalysis
{
    /// <summary>Ratios below this fraction of the initial diameter are floating-point noise, not contraction.</summary>
    internal const double NoiseFloor = 1e-12;

    internal static (IReadOnlyList<RoundStats> Rounds, string? Violation) Analyse(
        MdaaSimulationOptions o, double[]?[][] values, double[]?[][] weights)
    {
        var rounds = new List<RoundStats>(values.Length);
        var cw = new double[values.Length];
        var l2 = new double[values.Length];
        string? violation = null;
        for (var r = 0; r < values.Length; r++)
        {
            var present = Present(values[r]);
            cw[r] = present.Count == 0 ? double.NaN : VectorMath.DiameterCw(present);
            l2[r] = present.Count == 0 ? double.NaN : VectorMath.DiameterL2(present);
            rounds.Add(new RoundStats(
                r,
                present.Count,
                cw[r],
                l2[r],
                Ratio(cw, r, 1),
                Ratio(l2, r, 1),
                Ratio(cw, r, 2),
                Ratio(l2, r, 2)));
            if (r > 0)
            {
                violation ??= CheckRound(o, r, values[r - 1], values[r], weights[r]);
            }
        }

        return (rounds, violation);
    }

    private static double? Ratio(double[] d, int r, int back)
    {
        if (r < back || !(d[r - back] > NoiseFloor * d[0]) || d[r - back] == 0 || double.IsNaN(d[r]))
        {
            return null;
        }

        return d[r] / d[r - back];
    }

    private static List<ReadOnlyMemory<double>> Present(double[]?[] row)
    {
        var list = new List<ReadOnlyMemory<double>>(row.Length);
        foreach (var v in row)
        {
            if (v is not null)
            {
                list.Add(v);
            }
        }

        return list;
    }

    /// <summary>Every value of round r is in the box of round r − 1 and, with weights, their convex combination.</summary>
    private static string? CheckRound(MdaaSimulationOptions o, int r, double[]?[] before, double[]?[] after, double[]?[] w)
    {
        var d = o.Dimension;
        var lo = new double[d];
        var hi = new double[d];
        Array.Fill(lo, double.PositiveInfinity);
        Array.Fill(hi, double.NegativeInfinity);
        var scale = 0.0;
        foreach (var v in before)
        {
            if (v is null)
            {
                continue;
            }

            System.Numerics.Tensors.TensorPrimitives.Min(lo, v, lo);
            System.Numerics.Tensors.TensorPrimitives.Max(hi, v, hi);
            scale = Math.Max(scale, System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<double>(v));
        }

        var tol = 1e-9 * (1 + scale);
        var recon = new double[d];
        for (var p = 0; p < after.Length; p++)
        {
            var y = after[p];
            if (y is null)
            {
                continue;
            }

            var who = o.Layout.ProcessAt(p);
            for (var c = 0; c < d; c++)
            {
                if (!(y[c] >= lo[c] - tol && y[c] <= hi[c] + tol))
                {
                    return $"round {r}: {who} coordinate {c} = {y[c]} outside [{lo[c]}, {hi[c]}] of round {r - 1}";
                }
            }

            if (w[p] is not { } weights)
            {
                if (o.Rule.ProvidesConvexWeights)
                {
                    return $"round {r}: {who} has no convex weights although rule {o.Rule.Name} provides them";
                }

                continue;
            }

            var sum = 0.0;
            Array.Clear(recon);
            for (var q = 0; q < weights.Length; q++)
            {
                if (weights[q] == 0)
                {
                    continue;
                }

                if (weights[q] < -1e-12 || before[q] is null)
                {
                    return $"round {r}: {who} has weight {weights[q]} on {o.Layout.ProcessAt(q)}, which held no value";
                }

                sum += weights[q];
                VectorMath.Axpy(weights[q], before[q], recon);
            }

            if (Math.Abs(sum - 1) > 1e-9)
            {
                return $"round {r}: {who}'s weights sum to {sum}";
            }

            for (var c = 0; c < d; c++)
            {
                if (Math.Abs(recon[c] - y[c]) > tol)
                {
                    return $"round {r}: {who} coordinate {c} = {y[c]} but its weights give {recon[c]}";
                }
            }
        }

        return null;
    }
}
