using System.Globalization;
using System.Text;
using System.Text.Json;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Training;

namespace Decentral.Experiments;

/// <summary>The printed table (with the theory next to the measurement), the JSON summary and the output files.</summary>
public static class AsgdReport
{
    public const string TraceFile = "trace.csv";
    public const string PlotFile = "plot.svg";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const string StepsPlotFile = "plot-steps.svg";

    public const string GradientsPlotFile = "plot-gradients.svg";

    public const string SuboptimalityPlotFile = "plot-subopt.svg";

    public const string SuboptimalityGradientsPlotFile = "plot-subopt-gradients.svg";

    /// <summary>The plots <see cref="WriteFiles"/> writes for this result (the F − F* ones only when F* is known).</summary>
    public static IReadOnlyList<string> PlotFiles(AsgdExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Settings.OptimalValue is null
            ? [PlotFile, StepsPlotFile, GradientsPlotFile]
            : [PlotFile, StepsPlotFile, GradientsPlotFile, SuboptimalityPlotFile, SuboptimalityGradientsPlotFile];
    }

    /// <summary>
    /// Writes the plots into <paramref name="directory"/>: ‖∇f‖ against time (plot.svg), server steps
    /// (plot-steps.svg) and gradients computed (plot-gradients.svg), and with F* known F − F* against time
    /// and gradients. trace.csv is streamed while the experiment runs (<see cref="TraceCsv"/>).
    /// </summary>
    public static void WriteFiles(AsgdExperimentResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        foreach (var file in PlotFiles(result))
        {
            File.WriteAllText(Path.Combine(directory, file), PlotOf(result, file), new UTF8Encoding(false));
        }
    }

    private static string PlotOf(AsgdExperimentResult result, string file) => file switch
    {
        PlotFile => Plot(result),
        StepsPlotFile => PlotSteps(result),
        GradientsPlotFile => Render(result, Norm, Gradients),
        SuboptimalityPlotFile => Render(result, Suboptimality(result), Time),
        SuboptimalityGradientsPlotFile => Render(result, Suboptimality(result), Gradients),
        _ => throw new ArgumentOutOfRangeException(nameof(file), file, "Unknown plot."),
    };

    private sealed record Axis(string Name, string Label, Func<TraceSample, double> Of, ExperimentMetric? Metric = null);

    private static readonly Axis Time = new("time", "time (model units)", s => s.Time);
    private static readonly Axis Steps = new("server steps", "server steps", s => s.Step);
    private static readonly Axis Gradients = new("gradients computed", "gradients computed", s => s.Gradients);
    private static readonly Axis Norm = new("‖∇f(x)‖", "‖∇f(x)‖ (log scale)", s => s.GradientNorm, ExperimentMetric.GradientNorm);

    private static Axis Suboptimality(AsgdExperimentResult result)
    {
        var fStar = result.Settings.OptimalValue ?? throw new InvalidOperationException("F − F* needs F*.");
        return new Axis("F − F*", "F(x) − F* (log scale)", s => s.Value - fStar, ExperimentMetric.Suboptimality);
    }

    /// <summary>
    /// ‖∇f‖ against time of every method at its best step size (bad-worker variants dashed, same colour).
    /// When one line runs far longer than the others (minibatch SGD under a step budget), the x-axis ends
    /// at 1.25× the others' end so they stay readable, and the cut line says so in the legend.
    /// </summary>
    public static string Plot(AsgdExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Render(result, Norm, Time);
    }

    /// <summary>‖∇f‖ against server steps (AsGrad's x-axis) of every method at its best step size.</summary>
    public static string PlotSteps(AsgdExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Render(result, Norm, Steps);
    }

    private static string Render(AsgdExperimentResult result, Axis y, Axis x)
    {
        var ends = result.Methods.Select(m => x.Of(m.Best.Result.Samples[^1])).ToList();
        var median = ends.Order().ElementAt(ends.Count / 2);
        double? limit = null;
        if (ends.Count > 1 && ends.Max() > 4 * median && median > 0)
        {
            limit = 1.25 * ends.Where(e => e <= 4 * median).Max();
        }
        var unit = x == Time ? "t = " : "";
        var series = Series(result, x.Of, y.Of, (_, end) =>
            limit is { } l && end > l ? $"cut at {unit}{l.ToString("G4", Inv)} (runs to {end.ToString("G5", Inv)})" : null);
        var target = y.Metric == result.Settings.Metric ? result.Settings.Target : (double?)null;
        var s = result.Settings;
        var title = $"{y.Name} vs {x.Name} — {s.Problem.Data.Name}, {s.Problem.CreateModel().Name}, n = {s.Workers}";
        return SvgPlot.Render(title, x.Label, y.Label, series, target, limit);
    }

    private static List<PlotSeries> Series(
        AsgdExperimentResult result, Func<TraceSample, double> x, Func<TraceSample, double> y, Func<MethodOutcome, double, string?> note)
    {
        var colours = new Dictionary<string, int>(StringComparer.Ordinal);
        var series = new List<PlotSeries>();
        foreach (var m in result.Methods)
        {
            if (!colours.TryGetValue(m.Variant.Method.Name, out var colour))
            {
                colour = colours.Count;
                colours[m.Variant.Method.Name] = colour;
            }
            var samples = m.Best.Result.Samples;
            var points = samples.Select(s => (x(s), y(s))).ToList();
            var notes = $"η = {m.Best.StepSize.ToString("G4", Inv)}{(m.BestAtEdge ? " (grid edge)" : "")}{(m.Best.Result.Diverged ? ", diverged" : "")}";
            if (note(m, x(samples[^1])) is { } extra)
            {
                notes += "\n" + extra;
            }
            var dashed = m.Variant.BadWorker is not null && result.Settings.CompareBadWorker;
            series.Add(new PlotSeries(m.Variant.Label, points, colour, dashed, notes));
        }
        return series;
    }

    public static void WriteTable(AsgdExperimentResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var s = result.Settings;
        output.WriteLine(Summary(s));
        output.WriteLine();
        var width = Math.Max(8, result.Methods.Max(m => m.Variant.Label.Length));
        var finalF = s.OptimalValue is null ? "final f" : "final F − F*";
        output.WriteLine(string.Create(Inv,
            $"{"method".PadRight(width)}  {"best η",11}  {"time to target",14}  {"grads to target",15}  {"steps to target",15}  {"final ‖∇f‖",12}  {finalF,12}  {"steps",8}  {"gradients",9}  {"time",10}  {"steps/time",10}  {"grads/time",10}"));
        foreach (var m in result.Methods)
        {
            var r = m.Best.Result;
            var toTarget = m.Best.TimeToTarget is { } t ? t.ToString("G6", Inv) : "not reached";
            var gradsTo = m.Best.GradientsToTarget is { } g ? g.ToString(Inv) : "not reached";
            var stepsTo = m.Best.StepsToTarget is { } st ? st.ToString(Inv) : "not reached";
            var final = r.Diverged ? "diverged" : m.Best.FinalGradientNorm.ToString("G4", Inv);
            var f = r.Diverged ? "-" : (r.Final.Value - (s.OptimalValue ?? 0)).ToString("G6", Inv);
            var eta = m.Best.StepSize.ToString("G4", Inv) + (m.BestAtEdge ? " *" : "");
            output.WriteLine(string.Create(Inv,
                $"{m.Variant.Label.PadRight(width)}  {eta,11}  {toTarget,14}  {gradsTo,15}  {stepsTo,15}  {final,12}  {f,12}  {r.Steps,8}  {r.Arrivals,9}  {r.Time,10:G6}  {Rate(r.Steps, r.Time),10}  {Rate(r.Arrivals, r.Time),10}"));
        }
        var by = s.Selection switch
        {
            StepSizeSelection.TimeToTarget => $"time to target, else smallest final {s.MetricName}",
            StepSizeSelection.GradientsToTarget => $"gradients to target, else smallest final {s.MetricName}",
            _ => $"smallest final {s.MetricName}",
        };
        output.WriteLine(string.Create(Inv,
            $"(to target: first sample with {s.MetricName} ≤ {s.Target:G4}; best η by {by}; grid widened ×{s.GridFactor:G3} while the best η is at an edge{(s.WidenGrid ? $", at most {s.MaxWidenings} times per side" : " — off")}; * = best η still at an edge of the grid tried)"));
        foreach (var m in result.Methods)
        {
            output.WriteLine($"  grid tried for {m.Variant.Label}: {string.Join(", ", m.Grid.Select(v => v.ToString("G4", Inv)))}");
        }
        WriteDelays(result, output);
        WriteTheory(result, output);
    }

    /// <summary>Per method: the delay histogram of its best run and the constant steps it allows.</summary>
    private static void WriteDelays(AsgdExperimentResult result, TextWriter output)
    {
        var l = result.Theory.Smoothness;
        output.WriteLine();
        output.WriteLine(string.Create(Inv,
            $"delays τ of the applied gradients (best run of each method) and the stable constant step 2·sin(π/(2(2τ+1)))/L they imply, L = {l:G4} (largest Hessian eigenvalue at x₀):"));
        foreach (var m in result.Methods)
        {
            var d = m.Best.Result.Delays;
            if (d.Count == 0)
            {
                output.WriteLine($"  {m.Variant.Label}: no step taken");
                continue;
            }
            output.WriteLine(string.Create(Inv,
                $"  {m.Variant.Label}: mean {d.Mean:G4}, p50 {d.Quantile(0.5)}, p90 {d.Quantile(0.9)}, p99 {d.Quantile(0.99)}, max {d.Max}; stable η at τ = p50 {Stable(l, d.Quantile(0.5))}, at mean {Stable(l, d.Mean)}, at max {Stable(l, d.Max)}"));
        }
    }

    private static string Stable(double smoothness, double delay) =>
        smoothness > 0 && double.IsFinite(smoothness) ? DelayStability.StableStep(smoothness, delay).ToString("G3", Inv) : "-";

    public static void WriteJson(AsgdExperimentResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var l = result.Theory.Smoothness;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("methods");
            foreach (var m in result.Methods)
            {
                var r = m.Best.Result;
                w.WriteStartObject();
                w.WriteString("name", m.Variant.Label);
                w.WriteNumber("best_step_size", m.Best.StepSize);
                w.WriteNumber("step_size", m.Best.StepSize);
                w.WriteStartArray("grid");
                foreach (var eta in m.Grid)
                {
                    w.WriteNumberValue(eta);
                }
                w.WriteEndArray();
                w.WriteBoolean("best_at_edge", m.BestAtEdge);
                Number(w, "time_to_target", m.Best.TimeToTarget);
                Long(w, "steps_to_target", m.Best.StepsToTarget);
                Long(w, "gradients_to_target", m.Best.GradientsToTarget);
                Number(w, "final_grad_norm", r.Diverged ? null : m.Best.FinalGradientNorm);
                Number(w, "final_f", r.Diverged ? null : r.Final.Value);
                Number(w, "final_f_minus_fstar", r.Diverged || result.Settings.OptimalValue is not { } fStar ? null : r.Final.Value - fStar);
                w.WriteNumber("steps", r.Steps);
                w.WriteNumber("gradients", r.Arrivals);
                Number(w, "time", r.Time);
                w.WriteBoolean("diverged", r.Diverged);
                var d = r.Delays;
                w.WriteStartObject("delays");
                w.WriteNumber("count", d.Count);
                w.WriteNumber("mean", d.Mean);
                w.WriteNumber("p50", d.Quantile(0.5));
                w.WriteNumber("p90", d.Quantile(0.9));
                w.WriteNumber("p99", d.Quantile(0.99));
                w.WriteNumber("max", d.Max);
                w.WriteEndObject();
                w.WriteStartObject("stable_step");
                Number(w, "at_p50_delay", l > 0 ? DelayStability.StableStep(l, d.Quantile(0.5)) : null);
                Number(w, "at_mean_delay", l > 0 ? DelayStability.StableStep(l, d.Mean) : null);
                Number(w, "at_max_delay", l > 0 ? DelayStability.StableStep(l, d.Max) : null);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("metric", result.Settings.Metric == ExperimentMetric.Suboptimality ? "suboptimality" : "grad-norm");
            w.WriteNumber("target", result.Settings.Target);
            Number(w, "f_star", result.Settings.OptimalValue);
            Number(w, "smoothness", l);
            Number(w, "sigma2", result.Theory.SigmaSquared);
            w.WriteStartArray("theory");
            foreach (var c in result.Theory.Cases)
            {
                w.WriteStartObject();
                w.WriteString("workers", c.Label);
                w.WriteNumber("minibatch_time_per_step", c.Theory.MinibatchTimePerStep);
                w.WriteNumber("minibatch_throughput", c.Theory.MinibatchThroughput);
                w.WriteNumber("asynchronous_throughput", c.Theory.AsynchronousThroughput);
                w.WriteNumber("speed_up", c.Theory.SpeedUp);
                Number(w, "optimal_time_order", c.Optimal.Value);
                w.WriteNumber("optimal_workers", c.Optimal.Workers);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void Long(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteTheory(AsgdExperimentResult result, TextWriter output)
    {
        var theory = result.Theory;
        if (theory.Cases.Count == 0)
        {
            output.WriteLine("theory: no compute-time model (none), so no speeds to compare");
            return;
        }
        output.WriteLine();
        output.WriteLine("theory (fixed-time view; τ_i = mean compute time of worker i; Θ-orders without constants):");
        foreach (var c in theory.Cases)
        {
            var t = c.Theory;
            output.WriteLine(string.Create(Inv, $"  {c.Label}: τ from {t.SortedTimes[0]:G4} to {t.SortedTimes[^1]:G4}"));
            output.WriteLine(string.Create(Inv,
                $"    minibatch: max τ_i = {t.MinibatchTimePerStep:G4} per step, {t.MinibatchThroughput:G4} gradients/time (M / max τ_i)"));
            output.WriteLine(string.Create(Inv,
                $"    asynchronous: Σ 1/τ_i = {t.AsynchronousThroughput:G4} gradients (= steps)/time; speed-up (1/M) Σ τ_max/τ_i = {t.SpeedUp:G4}"));
            output.WriteLine(string.Create(Inv,
                $"    optimal time (Tyurin–Richtárik) min_m (Σ_(i≤m) 1/τ_i)⁻¹ (m + σ²/ε) = {c.Optimal.Value:G4} at m = {c.Optimal.Workers} of {t.Workers} (σ² = {theory.SigmaSquared:G4} at x₀, ε = {(result.Settings.Metric == ExperimentMetric.Suboptimality ? "target" : "target²")} = {theory.Epsilon:G4})"));
            WriteMeasured(result, c, output);
        }
    }

    /// <summary>The measurement next to the theory: throughputs of the best runs and the time-to-target ratio.</summary>
    private static void WriteMeasured(AsgdExperimentResult result, TheoryCase c, TextWriter output)
    {
        var lines = result.Methods.Where(m => m.Variant.BadWorker == c.BadWorker).ToList();
        var minibatch = lines.FirstOrDefault(m => m.Variant.Method.Server == ServerKind.Minibatch);
        foreach (var m in lines.Where(m => m.Variant.Method.Server != ServerKind.Minibatch))
        {
            var r = m.Best.Result;
            var ratio = minibatch?.Best.TimeToTarget is { } mt && m.Best.TimeToTarget is { } at && at > 0 ? (mt / at).ToString("G3", Inv) : "-";
            output.WriteLine(string.Create(Inv,
                $"    measured {m.Variant.Label}: {Rate(r.Arrivals, r.Time)} gradients/time, {Rate(r.Steps, r.Time)} steps/time; time to target of minibatch ÷ this = {ratio}"));
        }
        if (minibatch is not null)
        {
            var r = minibatch.Best.Result;
            output.WriteLine(string.Create(Inv,
                $"    measured {minibatch.Variant.Label}: {Rate(r.Arrivals, r.Time)} gradients/time, {(r.Steps > 0 ? (r.Time / r.Steps).ToString("G4", Inv) : "-")} time per step"));
        }
    }

    private static string Summary(AsgdExperimentSettings s)
    {
        var p = s.Problem;
        var speeds = p.WorkerScales is { } scales ? $"scales [{string.Join(", ", scales.Select(v => v.ToString("G4", Inv)))}]" : p.Speeds == SpeedProfile.HeavyTailed
            ? $"heavy-tailed speeds, s_i = {p.ComputeScale.ToString("G4", Inv)}·exp({p.SpeedSpread.ToString("G3", Inv)}·Z_i), from {Enumerable.Range(0, s.Workers).Min(p.ScaleOf).ToString("G3", Inv)} to {Enumerable.Range(0, s.Workers).Max(p.ScaleOf).ToString("G3", Inv)}"
            : $"{p.Speeds.ToString().ToLowerInvariant()} speeds, s = {p.ComputeScale.ToString("G4", Inv)}";
        var budget = string.Join(" and ", new[]
        {
            s.MaxSteps is { } steps ? $"{steps} server steps" : null,
            s.MaxTime is { } time ? $"time {time.ToString("G6", Inv)}" : null,
            s.MaxGradients is { } grads ? $"{grads} gradients" : null,
        }.Where(b => b is not null));
        var bad = s.CompareBadWorker ? $", with and without a bad worker ({s.BadWorkerFactor.ToString("G4", Inv)}×)"
            : s.BadWorker is { } b ? $", worker {b + 1} {s.BadWorkerFactor.ToString("G4", Inv)}× slower" : "";
        return $"asgd experiment ({s.Source}): {p.Data.Name} ({p.Data.Rows}×{p.Data.Dimension}), {s.ModelSummary}, " +
            $"{(s.OptimalValue is { } fStar ? $"F* = {fStar.ToString("G10", Inv)}, " : "")}{s.Workers} workers, {p.Partition.ToString().ToLowerInvariant()} data, {(s.FullLocalGradients ? "full local gradients" : $"batch {p.BatchSize}")}, " +
            $"compute time {p.ComputeTime.ToString().ToLowerInvariant()} ({speeds}){bad}; budget {budget}; seed {p.Seed}; {s.Clock.ToString().ToLowerInvariant()} time";
    }

    private static string Rate(long count, double time) => time > 0 ? (count / time).ToString("G4", Inv) : "-";

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
