namespace Decentral.Agreement.Simulation;

/// <summary>
/// Diameters of the values held after round <see cref="Round"/> (0 = the inputs) over the processes that
/// computed one. Ratios are null when the earlier diameter is at the noise floor (≤ 1e-12 of the initial).
/// </summary>
public sealed record RoundStats(
    int Round,
    int Participants,
    double DiameterCw,
    double DiameterL2,
    double? RatioCw,
    double? RatioL2,
    double? TwoRoundRatioCw,
    double? TwoRoundRatioL2);

public sealed record ProcessOutcome(
    ProcessId Id,
    bool Crashed,
    bool Finished,
    int SkippedRounds,
    int ClusterStepBound,
    int MaxClusterSteps,
    int CompletedClusterRuns,
    int AbandonedClusterRuns,
    long DroppedMessages);

public sealed class MdaaSimulationResult
{
    internal MdaaSimulationResult(
        MdaaSimulationOptions options,
        IReadOnlyList<double[]?[]> values,
        IReadOnlyList<double[]?[]> weights,
        IReadOnlyList<RoundStats> rounds,
        IReadOnlyList<ProcessOutcome> processes,
        string? violation,
        long events)
    {
        Options = options;
        Values = values;
        Weights = weights;
        Rounds = rounds;
        Processes = processes;
        Violation = violation;
        Events = events;
        Bound = ContractionBound.PerTwoRounds(options.Layout.ClusterCount);
        WorstRatioCw = Worst(rounds, r => r.RatioCw);
        WorstTwoRoundRatioCw = Worst(rounds, r => r.TwoRoundRatioCw);
        WorstTwoRoundRatioL2 = Worst(rounds, r => r.TwoRoundRatioL2);
        var allFinished = true;
        foreach (var p in processes)
        {
            allFinished &= p.Crashed || p.Finished;
        }

        AllLiveFinished = allFinished;
    }

    public MdaaSimulationOptions Options { get; }

    /// <summary>[r][process global index]: value after round r (r = 0: input); null when never computed.</summary>
    public IReadOnlyList<double[]?[]> Values { get; }

    /// <summary>
    /// [r][process]: convex weights over <c>Values[r − 1]</c> (index = process) that produced <c>Values[r]</c>, composed
    /// through cluster AA and the inter-cluster aggregation; null for r = 0 or when the rule gives no weights.
    /// </summary>
    public IReadOnlyList<double[]?[]> Weights { get; }

    public IReadOnlyList<RoundStats> Rounds { get; }

    public IReadOnlyList<ProcessOutcome> Processes { get; }

    /// <summary>True when every computed value passed the validity checks (convex weights and per-coordinate box).</summary>
    public bool Valid => Violation is null;

    /// <summary>The first validity violation found, or null.</summary>
    public string? Violation { get; }

    public bool AllLiveFinished { get; }

    /// <summary>q per two rounds for this layout's cluster count.</summary>
    public double Bound { get; }

    /// <summary>Worst Δcw(r)/Δcw(r − 1); NaN when none is defined.</summary>
    public double WorstRatioCw { get; }

    /// <summary>Worst Δcw(r)/Δcw(r − 2), the quantity the bound speaks about; NaN when none is defined.</summary>
    public double WorstTwoRoundRatioCw { get; }

    public double WorstTwoRoundRatioL2 { get; }

    public long Events { get; }

    private static double Worst(IReadOnlyList<RoundStats> rounds, Func<RoundStats, double?> pick)
    {
        var worst = double.NaN;
        foreach (var r in rounds)
        {
            if (pick(r) is { } v && (double.IsNaN(worst) || v > worst))
            {
                worst = v;
            }
        }

        return worst;
    }
}
