using Decentral.Nodes.Compute;
using Decentral.Nodes.Training;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>Which clock a run uses.</summary>
public enum RunClock
{
    /// <summary>The deterministic simulator: virtual time, one thread, same seed ⇒ same trace.</summary>
    Virtual,

    /// <summary>The thread-pool dispatcher: workers really wait their compute times (scaled).</summary>
    Real,
}

/// <summary>
/// One run of one method with one step size. The problem (data, objective, λ, partition, batch size,
/// compute-time model, speeds, x₀, seed) comes from <see cref="Problem"/>; the rest is the method's.
/// </summary>
public sealed record AsyncRunOptions
{
    /// <summary>Trace samples a run aims for when <see cref="TraceEvery"/> is automatic.</summary>
    public const int DefaultTracePoints = 500;

    public required TrainingSpec Problem { get; init; }

    public required AsyncMethod Method { get; init; }

    /// <summary>Number of workers n (M).</summary>
    public required int Workers { get; init; }

    /// <summary>η (γ for rescaled steps).</summary>
    public required double StepSize { get; init; }

    /// <summary>Stop after this many server steps (null: no step limit).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Stop after this much model time (null: no time limit). At least one limit is required.</summary>
    public double? MaxTime { get; init; }

    /// <summary>Stop once this many gradients reached the server (null: no gradient limit; Mishchenko et al.'s x-axis).</summary>
    public long? MaxGradients { get; init; }

    /// <summary>
    /// Keep every <see cref="GradientEvent"/> in <see cref="AsyncRunResult.Events"/> (memory grows with the
    /// run: for tests and short runs). Off: only counters and the delay histogram.
    /// </summary>
    public bool KeepEvents { get; init; }

    /// <summary>True: full local gradients (AsGrad); false: mini-batches of <see cref="TrainingSpec.BatchSize"/>.</summary>
    public bool FullLocalGradients { get; init; } = true;

    /// <summary>A worker (0-based) that is <see cref="BadWorkerFactor"/> times slower, or null.</summary>
    public int? BadWorker { get; init; }

    public double BadWorkerFactor { get; init; } = WorkerTimes.DefaultBadWorkerFactor;

    /// <summary>M of the delay-adaptive rule (null: the number of workers).</summary>
    public int? DelayAdaptiveM { get; init; }

    /// <summary>S of Rennala SGD (null: the number of workers).</summary>
    public int? RennalaBatch { get; init; }

    /// <summary>R of Ringmaster ASGD (null: the number of workers).</summary>
    public long? RingmasterThreshold { get; init; }

    /// <summary>Evaluate ‖∇f‖ and f every this many steps (0: automatic, about <see cref="TracePoints"/> samples).</summary>
    public int TraceEvery { get; init; }

    /// <summary>Samples an automatic trace aims for: every budget/points steps and every budget/points of time.</summary>
    public int TracePoints { get; init; } = DefaultTracePoints;

    /// <summary>Stop when ‖∇f(x)‖ exceeds this multiple of its start value (or is not finite).</summary>
    public double DivergenceFactor { get; init; } = 1e8;

    public RunClock Clock { get; init; } = RunClock.Virtual;

    /// <summary>
    /// Real seconds per model time unit under <see cref="RunClock.Real"/>. System timers have millisecond
    /// resolution (shorter delays fire at once), so durations are faithful only well above 1 ms.
    /// </summary>
    public double RealSecondsPerUnit { get; init; } = 0.01;

    /// <summary>Give up a real-time run after this long (a missing completion is a bug, not a result).</summary>
    public TimeSpan RealTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public int EffectiveDelayAdaptiveM => DelayAdaptiveM ?? Workers;

    public int EffectiveRennalaBatch => RennalaBatch ?? Workers;

    public long EffectiveRingmasterThreshold => RingmasterThreshold ?? Workers;

    /// <summary>Clear errors for everything a run would otherwise trip over later.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Problem);
        ArgumentNullException.ThrowIfNull(Method);
        Problem.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(Workers, 1, nameof(Workers));
        if (Workers > Problem.Data.Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, $"{Workers} workers but the data has only {Problem.Data.Rows} rows.");
        }
        StepRules.CheckPositive(StepSize, nameof(StepSize));
        if (MaxSteps is null && MaxTime is null && MaxGradients is null)
        {
            throw new ArgumentException("A run needs a budget: MaxSteps, MaxTime, MaxGradients or several.", nameof(MaxSteps));
        }
        if (MaxGradients is { } gradients)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(gradients, 1, nameof(MaxGradients));
        }
        if (MaxSteps is { } steps)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1, nameof(MaxSteps));
        }
        if (MaxTime is { } time && !(time > 0 && double.IsFinite(time)))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTime), time, "The time budget must be positive and finite.");
        }
        if (BadWorker is { } bad && (bad < 0 || bad >= Workers))
        {
            throw new ArgumentOutOfRangeException(nameof(BadWorker), bad, $"The bad worker must be one of the {Workers} workers (0-based).");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(EffectiveDelayAdaptiveM, 1, nameof(DelayAdaptiveM));
        ArgumentOutOfRangeException.ThrowIfLessThan(EffectiveRennalaBatch, 1, nameof(RennalaBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(EffectiveRingmasterThreshold, 1, nameof(RingmasterThreshold));
        ArgumentOutOfRangeException.ThrowIfNegative(TraceEvery);
        ArgumentOutOfRangeException.ThrowIfLessThan(TracePoints, 1, nameof(TracePoints));
        if (!(DivergenceFactor > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), DivergenceFactor, "The divergence factor must exceed 1.");
        }
        if (!(RealSecondsPerUnit > 0 && double.IsFinite(RealSecondsPerUnit)))
        {
            throw new ArgumentOutOfRangeException(nameof(RealSecondsPerUnit), RealSecondsPerUnit, "Real seconds per time unit must be positive.");
        }
        if (Problem.ComputeTime != ComputeTimeKind.None)
        {
            for (var i = 0; i < Workers; i++)
            {
                var s = Problem.ScaleOf(i);
                if (!(s > 0 && double.IsFinite(s)))
                {
                    throw new ArgumentOutOfRangeException(nameof(Problem), s, $"Worker {i}'s compute time scale must be positive (got {s}).");
                }
            }
        }
    }

    /// <summary>The compute times of the workers, bad worker included.</summary>
    public WorkerTimes CreateWorkerTimes()
    {
        var models = new ComputeTimeModel[Workers];
        for (var i = 0; i < models.Length; i++)
        {
            models[i] = Problem.ComputeTimeOf(i);
        }
        return new WorkerTimes(models, BadWorker, BadWorkerFactor);
    }

    /// <summary>The server rule of <see cref="Method"/>.</summary>
    public IServerRule CreateServerRule(WorkerTimes times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var x0 = Problem.Start();
        return Method.Server switch
        {
            ServerKind.Minibatch => new MinibatchRule(x0, Workers, StepSize),
            ServerKind.Rennala => new RennalaRule(x0, Workers, StepSize, EffectiveRennalaBatch),
            _ => new AsynchronousRule(
                x0,
                Workers,
                JobAssignments.Create(Method.Assignment, Workers, Problem.Seed),
                StepRules.Create(Method.StepRule, StepSize, EffectiveDelayAdaptiveM, times.Means()),
                Method.DropsStale ? EffectiveRingmasterThreshold : null),
        };
    }

    /// <summary>Worker <paramref name="worker"/>'s gradient oracle over its part of the data.</summary>
    public WorkerGradient CreateWorkerGradient(int worker) =>
        new(Problem.LocalObjective(worker, Workers), FullLocalGradients ? null : Problem.BatchSize, Problem.Seed, worker);
}
