namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// One evaluation of the global objective during a run: at model time <see cref="Time"/>, after
/// <see cref="Step"/> server steps, ‖∇f(x)‖ (not squared, as AsGrad reports it) and f(x); <see cref="Delay"/>
/// is the delay of the gradient applied in that step (0 at the start); <see cref="Gradients"/> counts the
/// gradients computed and delivered to the server so far (applied, buffered, dropped or discarded).
/// </summary>
public readonly record struct TraceSample(double Time, long Step, double GradientNorm, double Value, long Delay, long Gradients = 0);

/// <summary>One gradient reaching the server: when, from whom, how stale, and what was done with it.</summary>
public readonly record struct GradientEvent(double Time, int Worker, long Version, long Delay, double StepSize, ArrivalKind Kind);

/// <summary>Why a run ended.</summary>
public enum RunEnd
{
    StepBudget,
    TimeBudget,
    Diverged,
    GradientBudget,
}

/// <summary>
/// What one run produced: the sampled trace, counters of the gradient events (arrivals by kind, the
/// histogram of applied delays), every event only when <see cref="AsyncRunOptions.KeepEvents"/> asked
/// for them, and the final model.
/// </summary>
public sealed record AsyncRunResult
{
    public required AsyncRunOptions Options { get; init; }

    public required IReadOnlyList<TraceSample> Samples { get; init; }

    /// <summary>Every gradient event, in arrival order — empty unless <see cref="AsyncRunOptions.KeepEvents"/>.</summary>
    public required IReadOnlyList<GradientEvent> Events { get; init; }

    /// <summary>Gradients that reached the server (applied, buffered, dropped or discarded).</summary>
    public required long Arrivals { get; init; }

    /// <summary>Arrivals by <see cref="ArrivalKind"/> (indexed by the enum's value).</summary>
    public required IReadOnlyList<long> ArrivalsByKind { get; init; }

    /// <summary>Delays τ of the gradients that were applied to the model.</summary>
    public required DelayHistogram Delays { get; init; }

    public required double[] FinalModel { get; init; }

    public required long Steps { get; init; }

    /// <summary>Model time at the end.</summary>
    public required double Time { get; init; }

    public required RunEnd End { get; init; }

    public bool Diverged => End == RunEnd.Diverged;

    public TraceSample Final => Samples[^1];

    /// <summary>Model time of the first sample with ‖∇f‖ ≤ <paramref name="target"/>, or null if none.</summary>
    public double? TimeToTarget(double target)
    {
        foreach (var s in Samples)
        {
            if (s.GradientNorm <= target)
            {
                return s.Time;
            }
        }
        return null;
    }

    /// <summary>Server steps of the first sample with ‖∇f‖ ≤ <paramref name="target"/>, or null if none.</summary>
    public long? StepsToTarget(double target)
    {
        foreach (var s in Samples)
        {
            if (s.GradientNorm <= target)
            {
                return s.Step;
            }
        }
        return null;
    }

    /// <summary>Arrivals of one kind.</summary>
    public long ArrivalsOf(ArrivalKind kind) => ArrivalsByKind[(int)kind];
}
