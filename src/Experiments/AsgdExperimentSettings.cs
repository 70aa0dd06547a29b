using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Training;

namespace Decentral.Experiments;

/// <summary>How the best step size of a method's grid is chosen.</summary>
public enum StepSizeSelection
{
    /// <summary>
    /// The step size reaching the target ‖∇f‖ first; among those that never reach it (if none does), the
    /// smallest final ‖∇f‖. Ties go to the smaller final ‖∇f‖. Diverged runs are never chosen unless all diverge.
    /// </summary>
    TimeToTarget,

    /// <summary>The smallest final value of the metric (‖∇f‖ or F − F*; diverged runs excluded unless all diverge).</summary>
    FinalGradientNorm,

    /// <summary>
    /// The step size reaching the target with the fewest gradients computed (Mishchenko et al.'s x-axis);
    /// if none reaches it, the smallest final value of the metric.
    /// </summary>
    GradientsToTarget,
}

/// <summary>What the target and the selection measure.</summary>
public enum ExperimentMetric
{
    /// <summary>‖∇f(x)‖ (not squared; AsGrad's metric).</summary>
    GradientNorm,

    /// <summary>F(x) − F* with F* from the exact solver (Mishchenko et al.'s metric; convex objectives only).</summary>
    Suboptimality,
}

/// <summary>One line of a comparison: a method, and whether this line has the bad worker.</summary>
public sealed record MethodVariant(string Label, AsyncMethod Method, int? BadWorker);

/// <summary>
/// Everything `decentral experiment asgd` runs: the problem (from <c>decentral.model.*</c>) and the
/// methods, grid, workers, budget and target (from <c>decentral.experiment.asgd</c>).
/// </summary>
public sealed record AsgdExperimentSettings
{
    public required TrainingSpec Problem { get; init; }

    public required IReadOnlyList<AsyncMethod> Methods { get; init; }

    public required IReadOnlyList<double> StepSizes { get; init; }

    public required int Workers { get; init; }

    public bool FullLocalGradients { get; init; } = true;

    /// <summary>0-based index of the worker that is <see cref="BadWorkerFactor"/>× slower, or null.</summary>
    public int? BadWorker { get; init; }

    public double BadWorkerFactor { get; init; } = WorkerTimes.DefaultBadWorkerFactor;

    /// <summary>Run every method twice: without and with the bad worker (the last worker when none is named).</summary>
    public bool CompareBadWorker { get; init; }

    public long? MaxSteps { get; init; }

    /// <summary>Stop each run after this many gradients reached the server (null: no such limit).</summary>
    public long? MaxGradients { get; init; }

    public double? MaxTime { get; init; }

    /// <summary>Target value of <see cref="Metric"/> (‖∇f(x)‖ not squared, or F − F*).</summary>
    public required double Target { get; init; }

    public ExperimentMetric Metric { get; init; } = ExperimentMetric.GradientNorm;

    /// <summary>F* = min F from the exact solver (convex objectives), or null when it has none.</summary>
    public double? OptimalValue { get; init; }

    /// <summary>Widen the grid while a method's best step size is at an edge of it.</summary>
    public bool WidenGrid { get; init; } = true;

    /// <summary>Each widening tries the largest step × this, or the smallest ÷ this.</summary>
    public double GridFactor { get; init; } = 2;

    /// <summary>The cap: at most this many widenings on each side, then the edge is flagged.</summary>
    public int MaxWidenings { get; init; } = 8;

    public StepSizeSelection Selection { get; init; } = StepSizeSelection.TimeToTarget;

    public int TraceEvery { get; init; }

    public int TracePoints { get; init; } = AsyncRunOptions.DefaultTracePoints;

    public int? DelayAdaptiveM { get; init; }

    public int? RennalaBatch { get; init; }

    public long? RingmasterThreshold { get; init; }

    public RunClock Clock { get; init; } = RunClock.Virtual;

    public double RealSecondsPerUnit { get; init; } = 0.01;

    /// <summary>Where the settings came from (configuration file or the embedded default), for the report.</summary>
    public string Source { get; init; } = "";

    /// <summary>The model for reports, as configured (e.g. <c>logistic-l2 λ = 0.01</c>).</summary>
    public string ModelSummary { get; init; } = "";

    /// <summary>"‖∇f‖" or "F − F*".</summary>
    public string MetricName => Metric == ExperimentMetric.Suboptimality ? "F − F*" : "‖∇f‖";

    /// <summary>The metric at one trace sample.</summary>
    public double MetricOf(TraceSample sample) =>
        Metric == ExperimentMetric.Suboptimality && OptimalValue is { } fStar ? sample.Value - fStar : sample.GradientNorm;

    /// <summary>The lines of the comparison, in configuration order (each method twice with <see cref="CompareBadWorker"/>).</summary>
    public IReadOnlyList<MethodVariant> Variants()
    {
        var variants = new List<MethodVariant>();
        foreach (var method in Methods)
        {
            if (CompareBadWorker)
            {
                variants.Add(new MethodVariant(method.Name, method, null));
                variants.Add(new MethodVariant($"{method.Name} (bad worker)", method, BadWorker ?? Workers - 1));
            }
            else
            {
                variants.Add(new MethodVariant(method.Name, method, BadWorker));
            }
        }
        return variants;
    }

    /// <summary>The run of one variant with one step size.</summary>
    public AsyncRunOptions OptionsFor(MethodVariant variant, double stepSize)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return new AsyncRunOptions
        {
            Problem = Problem,
            Method = variant.Method,
            Workers = Workers,
            StepSize = stepSize,
            MaxSteps = MaxSteps,
            MaxTime = MaxTime,
            MaxGradients = MaxGradients,
            FullLocalGradients = FullLocalGradients,
            BadWorker = variant.BadWorker,
            BadWorkerFactor = BadWorkerFactor,
            DelayAdaptiveM = DelayAdaptiveM,
            RennalaBatch = RennalaBatch,
            RingmasterThreshold = RingmasterThreshold,
            TraceEvery = TraceEvery,
            TracePoints = TracePoints,
            Clock = Clock,
            RealSecondsPerUnit = RealSecondsPerUnit,
        };
    }
}
