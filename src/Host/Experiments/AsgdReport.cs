using System.Globalization;
using System.Text;
using System.Text.Json;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Training;

namespace Decentral.Host.Experiments;

/// <summary>The printed table (with the theory next to the measurement), the JSON summary and the output files.</summary>
public static class AsgdReport
{
    public const string TraceFile = "trace.csv";
    public const string PlotFile = "plot.svg";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const string StepsPlotFile = "plot-steps.svg";

    /// <summary>Writes trace.csv, plot.svg (‖∇f‖ vs time) and plot-steps.svg (vs server steps) into <paramref name="directory"/>.</summary>
    public static void WriteFiles(AsgdExperimentResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        using (var csv = new StreamWriter(Path.Combine(directory, TraceFile), false, new UTF8Encoding(false)))
        {
            TraceCsv.Write(result, csv);
        }
        File.WriteAllText(Path.Combine(directory, PlotFile), Plot(result), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(directory, StepsPlotFile), PlotSteps(result), new UTF8Encoding(false));
    }

    /// <summary>
    /// ‖∇f‖ against time of every method at its best step size (bad-worker variants dashed, same colour).
    /// When one line runs far longer than the others (minibatch SGD under a step budget), the x-axis ends
    /// at 1.25× the others' end so they stay readable, and the cut line says so in the legend.
    /// </summary>
    public static string Plot(AsgdExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ends = result.Methods.Select(m => m.Best.Result.Samples[^1].Time).ToList();
        var median = ends.Order().ElementAt(ends.Count / 2);
        double? limit = null;
        if (ends.Count > 1 && ends.Max() > 4 * median)
        {
            limit = 1.25 * ends.Where(e => e <= 4 * median).Max();
        }
        var series = Series(result, s => s.Time, (m, end) =>
            limit is { } l && end > l ? $"cut at t = {l.ToString("G4", Inv)} (runs to {end.ToString("G5", Inv)})" : null);
        return SvgPlot.Render(Title(result, "time"), "time (model units)", "‖∇f(x)‖ (log scale)", series, result.Settings.Target, limit);
    }

    /// <summary>‖∇f‖ against server steps (AsGrad's x-axis) of every method at its best step size.</summary>
    public static string PlotSteps(AsgdExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var series = Series(result, s => s.Step, (_, _) => null);
        return SvgPlot.Render(Title(result, "server steps"), "server steps", "‖∇f(x)‖ (log scale)", series, result.Settings.Target);
    }

    private static List<PlotSeries> Series(AsgdExperimentResult result, Func<TraceSample, double> x, Func<MethodOutcome, double, string?> note)
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
            var points = samples.Select(s => (x(s), s.GradientNorm)).ToList();
            var notes = $"η = {m.Best.StepSize.ToString("G4", Inv)}{(m.Best.Result.Diverged ? ", diverged" : "")}";
            if (note(m, x(samples[^1])) is { } extra)
            {
                notes += "\n" + extra;
            }
            var dashed = m.Variant.BadWorker is not null && result.Settings.CompareBadWorker;
            series.Add(new PlotSeries(m.Variant.Label, points, colour, dashed, notes));
        }
        return series;
    }

    private static string Title(AsgdExperimentResult result, string against)
    {
        var s = result.Settings;
        return $"‖∇f(x)‖ vs {against} — {s.Problem.Data.Name}, {ObjectiveFactory.Name(s.Problem.Objective)}, n = {s.Workers}";
    }

    public static void WriteTable(AsgdExperimentResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var s = result.Settings;
        output.WriteLine(Summary(s));
        output.WriteLine();
        var width = Math.Max(8, result.Methods.Max(m => m.Variant.Label.Length));
        output.WriteLine(string.Create(Inv, $"{"method".PadRight(width)}  {"best η",10}  {"time to target",14}  {"steps to target",15}  {"final ‖∇f‖",12}  {"final f",12}  {"steps",8}  {"time",10}  {"steps/time",10}  {"grads/time",10}"));
        foreach (var m in result.Methods)
        {
            var r = m.Best.Result;
            var toTarget = m.Best.TimeToTarget is { } t ? t.ToString("G6", Inv) : "not reached";
            var stepsTo = m.Best.StepsToTarget is { } st ? st.ToString(Inv) : "not reached";
            var final = r.Diverged ? "diverged" : m.Best.FinalGradientNorm.ToString("G4", Inv);
            output.WriteLine(string.Create(Inv,
                $"{m.Variant.Label.PadRight(width)}  {m.Best.StepSize,10:G4}  {toTarget,14}  {stepsTo,15}  {final,12}  {(r.Diverged ? "-" : r.Final.Value.ToString("G6", Inv)),12}  {r.Steps,8}  {r.Time,10:G6}  {Rate(r.Steps, r.Time),10}  {Rate(r.Arrivals, r.Time),10}"));
        }
        output.WriteLine(string.Create(Inv,
            $"(time/steps to target: first sample with ‖∇f‖ ≤ {s.Target:G4}; best η by {(s.Selection == StepSizeSelection.TimeToTarget ? "time to target, else smallest final ‖∇f‖" : "smallest final ‖∇f‖")}; grid {string.Join(", ", s.StepSizes.Select(v => v.ToString("G4", Inv)))})"));
        WriteTheory(result, output);
    }

    public static void WriteJson(AsgdExperimentResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("methods");
            foreach (var m in result.Methods)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Variant.Label);
                w.WriteNumber("step_size", m.Best.StepSize);
                Number(w, "time_to_target", m.Best.TimeToTarget);
                if (m.Best.StepsToTarget is { } steps)
                {
                    w.WriteNumber("steps_to_target", steps);
                }
                else
                {
                    w.WriteNull("steps_to_target");
                }
                Number(w, "final_grad_norm", m.Best.Result.Diverged ? null : m.Best.FinalGradientNorm);
                Number(w, "final_f", m.Best.Result.Diverged ? null : m.Best.Result.Final.Value);
                w.WriteNumber("steps", m.Best.Result.Steps);
                Number(w, "time", m.Best.Result.Time);
                w.WriteBoolean("diverged", m.Best.Result.Diverged);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("target", result.Settings.Target);
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
                $"    optimal time (Tyurin–Richtárik) min_m (Σ_(i≤m) 1/τ_i)⁻¹ (m + σ²/ε) = {c.Optimal.Value:G4} at m = {c.Optimal.Workers} of {t.Workers} (σ² = {theory.SigmaSquared:G4} at x₀, ε = target² = {theory.Epsilon:G4})"));
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
        var speeds = p.WorkerScales is { } scales ? $"scales [{string.Join(", ", scales.Select(v => v.ToString("G4", Inv)))}]" : $"{p.Speeds.ToString().ToLowerInvariant()} speeds, s = {p.ComputeScale.ToString("G4", Inv)}";
        var budget = string.Join(" and ", new[]
        {
            s.MaxSteps is { } steps ? $"{steps} server steps" : null,
            s.MaxTime is { } time ? $"time {time.ToString("G6", Inv)}" : null,
        }.Where(b => b is not null));
        var bad = s.CompareBadWorker ? $", with and without a bad worker ({s.BadWorkerFactor.ToString("G4", Inv)}×)"
            : s.BadWorker is { } b ? $", worker {b + 1} {s.BadWorkerFactor.ToString("G4", Inv)}× slower" : "";
        return $"asgd experiment ({s.Source}): {p.Data.Name} ({p.Data.Rows}×{p.Data.Dimension}), {ObjectiveFactory.Name(p.Objective)} λ = {p.Lambda.ToString("G4", Inv)}, " +
            $"{s.Workers} workers, {p.Partition.ToString().ToLowerInvariant()} data, {(s.FullLocalGradients ? "full local gradients" : $"batch {p.BatchSize}")}, " +
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
