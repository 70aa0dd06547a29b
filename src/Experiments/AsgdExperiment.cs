using Decentral.Nodes.AsyncSgd;
using Decentral.Simulation;

namespace Decentral.Experiments;

/// <summary>
/// One run of the grid: a step size, what it produced and where it first met the target. Runs that are
/// not (or no longer) their method's best keep only their first and last trace samples (the experiment
/// streams the full trace to trace.csv as each run finishes), so memory does not grow with the grid.
/// </summary>
public sealed record GridRun(
    double StepSize, AsyncRunResult Result, double? TimeToTarget, long? StepsToTarget, long? GradientsToTarget = null, double? FinalMetricValue = null)
{
    public double FinalGradientNorm => Result.Final.GradientNorm;

    /// <summary>The final value of the experiment's metric (‖∇f‖ or F − F*).</summary>
    public double FinalMetric => FinalMetricValue ?? FinalGradientNorm;

    public bool Usable => !Result.Diverged && double.IsFinite(FinalMetric);

    /// <summary>This run with its trace cut down to the first and last samples and no final model.</summary>
    public GridRun Trimmed() => Result.Samples.Count <= 2 && Result.FinalModel.Length == 0
        ? this
        : this with { Result = Result with { Samples = [Result.Samples[0], Result.Samples[^1]], FinalModel = [], Events = [] } };
}

/// <summary>
/// A method's line of the comparison: every step size tried (sorted ascending; only <see cref="Best"/>
/// keeps its whole trace), the chosen one, and whether it still sits at an edge of the tried grid
/// (the widening cap was hit).
/// </summary>
public sealed record MethodOutcome(MethodVariant Variant, IReadOnlyList<GridRun> Runs, GridRun Best)
{
    /// <summary>True when the best step size is the smallest or largest one tried (the grid could not be widened further).</summary>
    public bool BestAtEdge => Runs.Count < 3 || Best.StepSize <= Runs.Min(r => r.StepSize) || Best.StepSize >= Runs.Max(r => r.StepSize);

    public IReadOnlyList<double> Grid => [.. Runs.Select(r => r.StepSize).Order()];
}

/// <summary>The whole comparison plus the theory it is read against.</summary>
public sealed record AsgdExperimentResult(AsgdExperimentSettings Settings, IReadOnlyList<MethodOutcome> Methods, TheoryReport Theory);

/// <summary>
/// Runs every method (variant) over a step-size grid on the same problem, seed and compute times, and
/// picks each method's best step size (<see cref="StepSizeSelection"/>). The grid widens — by
/// <see cref="AsgdExperimentSettings.GridFactor"/> beyond its largest or below its smallest step — for as
/// long as a method's best step sits at an edge, up to <see cref="AsgdExperimentSettings.MaxWidenings"/>
/// new steps on each side (then <see cref="MethodOutcome.BestAtEdge"/> flags it).
/// </summary>
public static class AsgdExperiment
{
    public static AsgdExperimentResult Run(AsgdExperimentSettings settings, Action<string>? progress = null, Action<MethodVariant, GridRun>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var outcomes = new List<MethodOutcome>();
        foreach (var variant in settings.Variants())
        {
            var runs = new List<GridRun>();
            GridRun RunOne(double eta)
            {
                var result = AsyncSgdRunner.Run(settings.OptionsFor(variant, eta));
                var run = Summarize(settings, eta, result);
                progress?.Invoke(Describe(settings, variant, run));
                onRun?.Invoke(variant, run);
                // Keep only the best-so-far's whole trace: trim the others as soon as they lose.
                runs.Add(run);
                var best = SelectBest(runs, settings.Selection);
                for (var i = 0; i < runs.Count; i++)
                {
                    if (!ReferenceEquals(runs[i], best))
                    {
                        runs[i] = runs[i].Trimmed();
                    }
                }
                return run;
            }

            foreach (var eta in settings.StepSizes.Distinct().Order())
            {
                RunOne(eta);
            }
            var (up, down) = (0, 0);
            while (settings.WidenGrid && runs.Count > 0)
            {
                var best = SelectBest(runs, settings.Selection);
                var (low, high) = (runs.Min(r => r.StepSize), runs.Max(r => r.StepSize));
                if (best.StepSize >= high && up < settings.MaxWidenings)
                {
                    up++;
                    progress?.Invoke($"{variant.Label}: best η is the largest tried, widening the grid");
                    RunOne(high * settings.GridFactor);
                }
                else if (best.StepSize <= low && down < settings.MaxWidenings)
                {
                    down++;
                    progress?.Invoke($"{variant.Label}: best η is the smallest tried, widening the grid");
                    RunOne(low / settings.GridFactor);
                }
                else
                {
                    break;
                }
            }
            var chosen = SelectBest(runs, settings.Selection);
            outcomes.Add(new MethodOutcome(variant, [.. runs.OrderBy(r => r.StepSize)], chosen));
        }
        return new AsgdExperimentResult(settings, outcomes, TheoryReport.Compute(settings));
    }

    /// <summary>Where a run first met the target, and its final metric.</summary>
    public static GridRun Summarize(AsgdExperimentSettings settings, double stepSize, AsyncRunResult result)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(result);
        var final = settings.MetricOf(result.Final);
        if (result.Diverged)
        {
            return new GridRun(stepSize, result, null, null, null, final);
        }
        foreach (var s in result.Samples)
        {
            if (settings.MetricOf(s) <= settings.Target)
            {
                return new GridRun(stepSize, result, s.Time, s.Step, s.Gradients, final);
            }
        }
        return new GridRun(stepSize, result, null, null, null, final);
    }

    /// <summary>The best run of a grid by <paramref name="selection"/> (see <see cref="StepSizeSelection"/>).</summary>
    public static GridRun SelectBest(IReadOnlyList<GridRun> runs, StepSizeSelection selection)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("A grid needs at least one run.", nameof(runs));
        }
        var usable = runs.Where(r => r.Usable).ToList();
        if (usable.Count == 0)
        {
            return runs.MinBy(r => r.StepSize)!; // everything diverged: report the most conservative attempt
        }
        if (selection == StepSizeSelection.TimeToTarget)
        {
            var reached = usable.Where(r => r.TimeToTarget is not null).ToList();
            if (reached.Count > 0)
            {
                return reached.OrderBy(r => r.TimeToTarget).ThenBy(r => r.FinalMetric).First();
            }
        }
        if (selection == StepSizeSelection.GradientsToTarget)
        {
            var reached = usable.Where(r => r.GradientsToTarget is not null).ToList();
            if (reached.Count > 0)
            {
                return reached.OrderBy(r => r.GradientsToTarget).ThenBy(r => r.FinalMetric).First();
            }
        }
        return usable.OrderBy(r => r.FinalMetric).First();
    }

    private static string Describe(AsgdExperimentSettings settings, MethodVariant variant, GridRun run) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{variant.Label} η={run.StepSize:G4}: {run.Result.Steps} steps, {run.Result.Arrivals} gradients, time {run.Result.Time:G5}, final {settings.MetricName} {run.FinalMetric:G4}{(run.Result.Diverged ? " (diverged)" : "")}");
}
