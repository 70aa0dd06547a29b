using System.Globalization;
using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// Contraction of the MDAA rounds (stages (t, r ≥ 1), where the rule is MidExtremes), checked in two
/// ways that follow from MidExtremes alone, whatever the schedule, faults, quorum rule or K:
/// <para>
/// (a) Pairwise, online. Let node i complete a stage with the set S_i of values it received, δ_i its
/// diameter, and v_i = (a + b)/2 with ‖a − b‖ = δ_i (the farthest pair). For any point p, Apollonius
/// gives ‖p − v_i‖² = (‖p − a‖² + ‖p − b‖²)/2 − δ_i²/4. Taking p = v_j, then p = a and p = b against
/// node j's pair (c, e), and bounding every distance between points of S_i ∪ S_j by its diameter D:
/// ‖v_i − v_j‖² ≤ D² − (δ_i² + δ_j²)/4. If S_i and S_j share a value w, every point is within δ_i or
/// δ_j of w, so D ≤ δ_i + δ_j and δ_i² + δ_j² ≥ D²/2: ‖v_i − v_j‖ ≤ √(7/8)·D — a strict contraction
/// per round. A rule that picks a shorter pair (the wrong-pair mutant) loses the δ terms and breaks (a).
/// </para>
/// <para>
/// (b) Per round, over all nodes, at the end of the run. The round-r messages are in-cluster agreement
/// outputs, which lie in the hull of their inputs — the values V_{r−1} that nodes completed round r − 1
/// with — so diam(S_i ∪ S_j) ≤ Δ₂(V_{r−1}). When every pair of completions of round r shares a value
/// (the quorums intersect in a common message: a quorum is connected), (a) gives
/// Δ₂(V_r) ≤ √(7/8)·Δ₂(V_{r−1}): two rounds contract by 7/8. (b) also catches in-cluster agreement
/// that leaves the hull, which validity (a per-completion check) cannot see.
/// </para>
/// The paper's q = (2⌊m/2⌋+1)/(2⌊m/2⌋+2) is not used as the bound: it is for Δcw under the assumption
/// that a cluster speaks with one voice, but K in-cluster rounds only approximate that (with K = 1, or a
/// member that runs its in-cluster rounds alone, cluster members send different values), so e.g. one
/// cluster with K = 1 never contracts at all although q(1) = 1/2. The 7/8 per two rounds of (b) needs no
/// such assumption; it is looser than q(m) for m ≤ 5 and equal to q(6) and q(7).
/// </summary>
public sealed class ContractionInvariant(SentLog sent)
{
    /// <summary>√(7/8): the per-round factor (b) checks, when all completions of a round share a value.</summary>
    public static readonly double RoundFactor = Math.Sqrt(7.0 / 8.0);

    public const double RelativeTolerance = 1e-9;

    private readonly Dictionary<Stage, StageData> stages = [];

    public string Name => InvariantNames.Contraction;

    /// <summary>Pairs of completions compared by (a).</summary>
    public long PairsChecked { get; private set; }

    /// <summary>Rounds compared by (b).</summary>
    public int RoundsChecked { get; private set; }

    /// <summary>Worst Δ₂(V_r)/Δ₂(V_{r−1}) seen among the rounds (b) compared (0 when none).</summary>
    public double WorstRoundRatio { get; private set; }

    /// <summary>Records a completion and checks (a) against earlier completions of the same stage.</summary>
    public string? OnCompleted(StageCompleted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var data = DataFor(e.Stage);
        var completion = new Completion(e.Node, e.Value, Resolve(e, data));
        data.Completions.Add(completion);
        if (e.Stage.Round == 0 || completion.Received is not { } mine)
        {
            return null;
        }
        completion.DiameterSq = data.DiameterSq(mine, mine);
        foreach (var other in data.Completions)
        {
            if (ReferenceEquals(other, completion) || other.Received is not { } theirs)
            {
                continue;
            }
            PairsChecked++;
            var dSq = Math.Max(Math.Max(completion.DiameterSq, other.DiameterSq), data.DiameterSq(mine, theirs));
            var bound = dSq - ((completion.DiameterSq + other.DiameterSq) / 4);
            var gapSq = VectorMath.SquaredDistance(e.Value, other.Value);
            if (gapSq > bound + Tolerance(dSq, e.Value))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"nodes {other.Node} and {e.Node} completed {e.Stage} {Math.Sqrt(gapSq):g4} apart, but MidExtremes keeps them within "
                    + $"√(D² − (δ₁² + δ₂²)/4) = {Math.Sqrt(Math.Max(0, bound)):g4} of each other (D = {Math.Sqrt(dSq):g4} of what both received, "
                    + $"δ = {Math.Sqrt(other.DiameterSq):g4} and {Math.Sqrt(completion.DiameterSq):g4} of what each received)");
            }
        }
        return null;
    }

    /// <summary>Check (b) over every round, once all completions are known.</summary>
    public string? Finish()
    {
        foreach (var (stage, data) in stages.OrderBy(kv => kv.Key))
        {
            if (stage.Round == 0 || !data.AllPairsShare() || !stages.TryGetValue(stage with { Round = stage.Round - 1 }, out var before))
            {
                continue;
            }
            var after = VectorMath.DiameterL2(data.Values());
            var previous = VectorMath.DiameterL2(before.Values());
            RoundsChecked++;
            if (previous > 0)
            {
                WorstRoundRatio = Math.Max(WorstRoundRatio, after / previous);
            }
            if (after * after > (RoundFactor * RoundFactor * previous * previous) + Tolerance(previous * previous, data.Completions[0].Value))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"round {stage} did not contract although every pair of its {data.Completions.Count} completions shared a value: "
                    + $"Δ₂ {previous:g4} at {before.Stage} → {after:g4} (ratio {after / previous:g4} > √(7/8) = {RoundFactor:g4})");
            }
        }
        return null;
    }

    private static double Tolerance(double scaleSq, double[] value)
    {
        var magnitude = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<double>(value);
        // Relative slack for the farthest-pair search's own rounding, plus rounding of the midpoints.
        return (RelativeTolerance * scaleSq) + (1e-12 * Math.Sqrt(scaleSq) * (1 + Math.Abs(magnitude)) * Math.Sqrt(value.Length)) + 1e-300;
    }

    private StageData DataFor(Stage stage)
    {
        if (!stages.TryGetValue(stage, out var data))
        {
            data = new StageData(stage);
            stages.Add(stage, data);
        }
        return data;
    }

    /// <summary>Indices (into the stage's distinct values) of what the node received; null when some sender sent several variants.</summary>
    private int[]? Resolve(StageCompleted e, StageData data)
    {
        var indices = new int[e.Senders.Count];
        for (var i = 0; i < indices.Length; i++)
        {
            if (sent.Unique(e.Stage, e.Senders[i]) is not { } v)
            {
                return null;
            }
            indices[i] = data.IndexOf(v);
        }
        return indices;
    }

    private sealed class Completion(int node, double[] value, int[]? received)
    {
        public int Node { get; } = node;

        public double[] Value { get; } = value;

        public int[]? Received { get; } = received;

        public double DiameterSq { get; set; }
    }

    /// <summary>One stage: its distinct received values (by content), their distance matrix (filled lazily) and its completions.</summary>
    private sealed class StageData(Stage stage)
    {
        private readonly List<double[]> values = [];
        private readonly List<List<double>> distances = [];

        public Stage Stage { get; } = stage;

        public List<Completion> Completions { get; } = [];

        public int IndexOf(double[] v)
        {
            for (var i = 0; i < values.Count; i++)
            {
                if (ReferenceEquals(values[i], v) || values[i].AsSpan().SequenceEqual(v))
                {
                    return i;
                }
            }
            values.Add(v);
            distances.Add([]);
            return values.Count - 1;
        }

        /// <summary>max ‖x − y‖² over x ∈ <paramref name="a"/>, y ∈ <paramref name="b"/>.</summary>
        public double DiameterSq(int[] a, int[] b)
        {
            var max = 0.0;
            foreach (var x in a)
            {
                foreach (var y in b)
                {
                    max = Math.Max(max, Distance(x, y));
                }
            }
            return max;
        }

        public bool AllPairsShare()
        {
            for (var i = 0; i < Completions.Count; i++)
            {
                if (Completions[i].Received is not { } a)
                {
                    return false;
                }
                for (var j = 0; j < i; j++)
                {
                    if (!a.AsSpan().ContainsAny(Completions[j].Received!))
                    {
                        return false;
                    }
                }
            }
            return Completions.Count > 1;
        }

        public List<ReadOnlyMemory<double>> Values() => [.. Completions.Select(c => (ReadOnlyMemory<double>)c.Value)];

        private double Distance(int x, int y)
        {
            if (x == y)
            {
                return 0;
            }
            var (lo, hi) = x < y ? (x, y) : (y, x);
            var row = distances[hi];
            while (row.Count <= lo)
            {
                row.Add(VectorMath.SquaredDistance(values[hi], values[row.Count]));
            }
            return row[lo];
        }
    }
}
