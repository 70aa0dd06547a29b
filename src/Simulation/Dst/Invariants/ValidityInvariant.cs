using System.Globalization;
using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// Validity with exact evidence: every completed stage's value equals Σ wᵢ·(what sender i sent for
/// that stage) with convex weights w (wᵢ ≥ 0, Σ wᵢ = 1) — so it lies in the convex hull of that stage's
/// inputs. Same check as the TestKit's AgreementAssert.Valid, extended to senders that sent more than
/// one vector for a stage (see <see cref="SentLog"/>): some choice of variants must reproduce the value.
/// </summary>
public sealed class ValidityInvariant(SentLog sent)
{
    /// <summary>Bound on variant combinations tried per completion (each is an O(k·d) recomposition).</summary>
    public const int MaxCombinations = 4096;

    public const double Tolerance = 1e-9;

    public string Name => InvariantNames.Validity;

    /// <summary>Null when <paramref name="e"/> is valid, else what is wrong.</summary>
    public string? Check(StageCompleted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var who = $"node {e.Node} at {e.Stage}";
        if (e.Weights is not { } w)
        {
            return $"{who} reported no convex weights: no validity evidence";
        }
        if (e.Senders.Count == 0 || w.Count != e.Senders.Count)
        {
            return $"{who}: {w.Count} weights for {e.Senders.Count} senders";
        }
        var sum = 0.0;
        foreach (var x in w)
        {
            if (!(x >= -Tolerance))
            {
                return $"{who}: negative weight {x.ToString("R", CultureInfo.InvariantCulture)}";
            }
            sum += x;
        }
        if (Math.Abs(sum - 1) > Tolerance)
        {
            return $"{who}: weights sum to {sum.ToString("R", CultureInfo.InvariantCulture)}, not 1";
        }
        var choices = new IReadOnlyList<double[]>[e.Senders.Count];
        long combinations = 1;
        for (var i = 0; i < choices.Length; i++)
        {
            choices[i] = sent.Variants(e.Stage, e.Senders[i]);
            if (choices[i].Count == 0)
            {
                return $"{who}: no record of anything sender {e.Senders[i]} sent for {e.Stage}";
            }
            if (w[i] != 0)
            {
                combinations = Math.Min(combinations * choices[i].Count, MaxCombinations + 1);
            }
        }
        if (combinations > MaxCombinations)
        {
            // Not observed in practice (variants need recoveries of many senders within one stage);
            // refusing beats a silent pass.
            return $"{who}: more than {MaxCombinations} combinations of re-sent variants to try";
        }
        var pick = new int[choices.Length];
        var recomposed = new double[e.Value.Length];
        var best = double.PositiveInfinity;
        for (var c = 0L; c < combinations; c++)
        {
            var error = ErrorOf(e, w, choices, pick, recomposed);
            if (error <= Tolerance)
            {
                return null;
            }
            best = Math.Min(best, error);
            Next(pick, choices, w);
        }
        return $"{who}: value differs from the weighted inputs by {best.ToString("g3", CultureInfo.InvariantCulture)} (relative): outside the inputs' hull";
    }

    private static double ErrorOf(StageCompleted e, IReadOnlyList<double> w, IReadOnlyList<double[]>[] choices, int[] pick, double[] recomposed)
    {
        Array.Clear(recomposed);
        for (var i = 0; i < choices.Length; i++)
        {
            var v = choices[i][pick[i]];
            if (v.Length != recomposed.Length)
            {
                return double.PositiveInfinity;
            }
            if (w[i] != 0)
            {
                VectorMath.Axpy(w[i], v, recomposed);
            }
        }
        var error = 0.0;
        var scale = 0.0;
        for (var k = 0; k < recomposed.Length; k++)
        {
            error = Math.Max(error, Math.Abs(recomposed[k] - e.Value[k]));
            scale = Math.Max(scale, Math.Abs(recomposed[k]));
        }
        return error / (1 + scale);
    }

    /// <summary>Odometer over the variant choices of senders with non-zero weight.</summary>
    private static void Next(int[] pick, IReadOnlyList<double[]>[] choices, IReadOnlyList<double> w)
    {
        for (var i = 0; i < pick.Length; i++)
        {
            if (w[i] == 0 || choices[i].Count == 1)
            {
                continue;
            }
            if (++pick[i] < choices[i].Count)
            {
                return;
            }
            pick[i] = 0;
        }
    }
}
