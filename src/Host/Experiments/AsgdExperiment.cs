using Decentral.Nodes.AsyncSgd;
using Decentral.Simulation;

namespace Decentral.Host.Experiments;

/// <summary>One run of the grid: a step size and what it produced.</summary>
public sealed record GridRun(double StepSize, AsyncRunResult Result, double? TimeToTarget, long? StepsToTarget)
{
    public double FinalGradientNorm => Result.Final.GradientNorm;

    public bool Usable => !Result.Diverged && double.IsFinite(FinalGradientNorm);
}

/// <summary>A method's line of the comparison: every step size of the grid and the chosen one.</summary>
public sealed record MethodOutcome(MethodVariant Variant, IReadOnlyList<GridRun> Runs, GridRun Best);

/// <summary>The whole comparison plus the theory it is read against.</summary>
public sealed record AsgdExperimentResult(AsgdExperimentSettings Settings, IReadOnlyList<MethodOutcome> Methods, TheoryReport Theory);

/// <summary>
/// Runs every method (variant) with every step size of the grid on the same problem, seed and compute
/// times, and picks each method's best step size (<see cref="StepSizeSelection"/>).
/// </summary>
public static class AsgdExperiment
{
    public static AsgdExperimentResult Run(AsgdExperimentSettings settings, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var outcomes = new List<MethodOutcome>();
        foreach (var variant in settings.Variants())
        {
            var runs = new List<GridRun>();
            foreach (var eta in settings.StepSizes)
            {
                var result = AsyncSgdRunner.Run(settings.OptionsFor(variant, eta));
                var run = result.Diverged
                    ? new GridRun(eta, result, null, null)
                    : new GridRun(eta, result, result.TimeToTarget(settings.Target), result.StepsToTarget(settings.Target));
                runs.Add(run);
                progress?.Invoke(Describe(variant, run));
            }
            outcomes.Add(new MethodOutcome(variant, runs, SelectBest(runs, settings.Selection)));
        }
        return new AsgdExperimentResult(settings, outcomes, TheoryReport.Compute(settings));
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
                return reached.OrderBy(r => r.TimeToTarget).ThenBy(r => r.FinalGradientNorm).First();
            }
        }
        return usable.OrderBy(r => r.FinalGradientNorm).First();
    }

    private static string Describe(MethodVariant variant, GridRun run) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{variant.Label} η={run.StepSize:G4}: {run.Result.Steps} steps, time {run.Result.Time:G5}, final ‖∇f‖ {run.FinalGradientNorm:G4}{(run.Result.Diverged ? " (diverged)" : "")}");
}
