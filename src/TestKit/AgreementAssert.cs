using System.Globalization;
using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.TestKit;

/// <summary>
/// Assertions about agreement among a run's nodes: validity (every agreed value is a convex
/// combination of the values sent for that stage by a quorum), ε-agreement of the live models, and
/// contraction of the per-stage diameter over a window of rounds.
/// </summary>
public static class AgreementAssert
{
    /// <summary>
    /// Every completed stage used the values of a quorum and produced Σ wᵢ·vᵢ with convex weights over
    /// exactly those values (exact validity evidence); returns how many stages were checked.
    /// </summary>
    public static int Valid(LocalCluster cluster, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var options = cluster.Runtime.Spec.Protocol;
        var checkedStages = 0;
        foreach (var e in cluster.Events.Of<StageCompleted>())
        {
            var who = $"{cluster.Runtime.Spec.NodeName(e.Node)} at {e.Stage}";
            var processes = e.Senders.Select(cluster.Layout.ProcessAt).ToList();
            if (!options.Quorum.IsQuorum(processes, cluster.Layout))
            {
                throw Fail($"{who} completed without a quorum: senders {string.Join(",", e.Senders)}");
            }
            if (e.Weights is not { } w)
            {
                continue;
            }
            if (w.Count != e.Senders.Count || w.Any(x => x < -tolerance) || Math.Abs(w.Sum() - 1) > tolerance)
            {
                throw Fail($"{who}: weights {string.Join(",", w)} are not a convex combination over {e.Senders.Count} inputs");
            }
            var recomposed = new double[e.Value.Length];
            for (var i = 0; i < e.Senders.Count; i++)
            {
                var v = cluster.Events.SentValue(e.Stage, e.Senders[i])
                    ?? throw Fail($"{who}: no record of what {e.Senders[i]} sent");
                VectorMath.Axpy(w[i], v, recomposed);
            }
            var error = 0.0;
            for (var k = 0; k < recomposed.Length; k++)
            {
                error = Math.Max(error, Math.Abs(recomposed[k] - e.Value[k]));
            }
            if (error > tolerance * (1 + Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<double>(recomposed))))
            {
                throw Fail($"{who}: value differs from the weighted inputs by {error:g3}: outside the inputs' hull");
            }
            checkedStages++;
        }
        return checkedStages;
    }

    /// <summary>The live nodes' models lie within Euclidean diameter <paramref name="epsilon"/>.</summary>
    public static void EpsilonAgreement(LocalCluster cluster, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Within("live nodes disagree: Δ₂", cluster.DiameterL2(), epsilon);
    }

    /// <summary>The live nodes' models lie within coordinate-wise diameter <paramref name="epsilon"/> (Δcw, the diameter the paper's q bounds).</summary>
    public static void EpsilonAgreementCw(LocalCluster cluster, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Within("live nodes disagree: Δcw", cluster.DiameterCw(), epsilon);
    }

    /// <summary><paramref name="models"/> (plain arrays of one length) lie within Euclidean diameter <paramref name="epsilon"/>.</summary>
    public static void EpsilonAgreement(IReadOnlyList<double[]> models, double epsilon) =>
        Within("the models disagree: Δ₂", DiameterL2(models), epsilon);

    /// <summary><paramref name="models"/> (plain arrays of one length) lie within coordinate-wise diameter <paramref name="epsilon"/>.</summary>
    public static void EpsilonAgreementCw(IReadOnlyList<double[]> models, double epsilon) =>
        Within("the models disagree: Δcw", DiameterCw(models), epsilon);

    /// <summary>Euclidean diameter Δ₂ = max ‖xᵢ − xⱼ‖ of plain arrays (one length; NaN/∞ or mixed lengths throw, naming which).</summary>
    public static double DiameterL2(IReadOnlyList<double[]> models) => VectorMath.DiameterL2(AsMemory(models));

    /// <summary>Coordinate-wise diameter Δcw = Σ_c max |xᵢ[c] − xⱼ[c]| of plain arrays (one length; NaN/∞ or mixed lengths throw).</summary>
    public static double DiameterCw(IReadOnlyList<double[]> models) => VectorMath.DiameterCw(AsMemory(models));

    /// <summary>
    /// Attiya and Schiller's contraction factor per two rounds for <paramref name="clusters"/> clusters,
    /// q = (2⌊m/2⌋ + 1)/(2⌊m/2⌋ + 2): the factor to hand <see cref="Contracts(EventRecorder, int, double, int, double, int)"/> with window 2.
    /// </summary>
    public static double ContractionBound(int clusters) => Agreement.ContractionBound.PerTwoRounds(clusters);

    /// <summary>Δ₂ of the values the nodes adopted at each completed stage (nodes that jumped there included).</summary>
    public static IReadOnlyDictionary<Stage, double> StageDiameters(EventRecorder events) => StageDiameters(events, VectorMath.DiameterL2);

    /// <summary>Δcw of the values the nodes adopted at each completed stage (nodes that jumped there included).</summary>
    public static IReadOnlyDictionary<Stage, double> StageDiametersCw(EventRecorder events) => StageDiameters(events, VectorMath.DiameterCw);

    /// <summary>
    /// Within each iteration, for agreement rounds r ≥ <paramref name="fromRound"/>: Δ₂(r + window) ≤
    /// factor·Δ₂(r) + <paramref name="absolute"/>. Returns the worst ratio seen (0 when nothing to compare).
    /// </summary>
    public static double Contracts(EventRecorder events, int window, double factor, int fromRound = 1, double absolute = 1e-12, int minIteration = 1) =>
        Contracts(StageDiameters(events), "Δ₂", window, factor, fromRound, absolute, minIteration);

    /// <summary>The same as <see cref="Contracts(EventRecorder, int, double, int, double, int)"/> on the coordinate-wise diameter Δcw (the one the paper's q is proved for).</summary>
    public static double ContractsCw(EventRecorder events, int window, double factor, int fromRound = 1, double absolute = 1e-12, int minIteration = 1) =>
        Contracts(StageDiametersCw(events), "Δcw", window, factor, fromRound, absolute, minIteration);

    private static IReadOnlyDictionary<Stage, double> StageDiameters(EventRecorder events, Func<IReadOnlyList<ReadOnlyMemory<double>>, double> diameter)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events.Of<StageCompleted>()
            .GroupBy(e => e.Stage)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => diameter([.. g.Select(e => (ReadOnlyMemory<double>)e.Value)]));
    }

    private static double Contracts(IReadOnlyDictionary<Stage, double> diameters, string what, int window, double factor, int fromRound, double absolute, int minIteration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var worst = 0.0;
        foreach (var (stage, before) in diameters)
        {
            if (stage.Round < fromRound || stage.Iteration < minIteration)
            {
                continue;
            }
            if (!diameters.TryGetValue(new Stage(stage.Iteration, stage.Round + window), out var after))
            {
                continue;
            }
            if (before > absolute)
            {
                worst = Math.Max(worst, after / before);
            }
            if (after > (factor * before) + absolute)
            {
                throw Fail($"no contraction from {stage} to round {stage.Round + window}: {what} {before:g4} → {after:g4} (factor {factor})");
            }
        }
        return worst;
    }

    private static void Within(string what, double diameter, double epsilon)
    {
        if (!(diameter <= epsilon))
        {
            throw Fail($"{what} = {diameter.ToString("g4", CultureInfo.InvariantCulture)} > ε = {epsilon.ToString("g4", CultureInfo.InvariantCulture)}");
        }
    }

    private static ReadOnlyMemory<double>[] AsMemory(IReadOnlyList<double[]> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
        {
            throw new ArgumentException("No models to compare.", nameof(models));
        }
        return [.. models.Select((m, i) => (ReadOnlyMemory<double>)(m ?? throw new ArgumentException($"Model {i} is null.", nameof(models))))];
    }

    private static TestKitAssertionException Fail(string message) => new(message);
}
