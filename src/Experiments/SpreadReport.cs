using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Decentral.Experiments;

/// <summary>spread.csv, plot-spread.svg (Δcw with the paper's bound drawn), plot-loss.svg, the table and the JSON summary.</summary>
public static class SpreadReport
{
    public const string CsvFile = "spread.csv";
    public const string SpreadPlotFile = "plot-spread.svg";
    public const string LossPlotFile = "plot-loss.svg";
    public const string CsvHeader = "run,iteration,eta,delta_cw,bound,f,f_minus_fstar,nodes";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IEnumerable<SpreadRun> Runs(SpreadResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return [r.Constant, r.Decreasing, r.Partition, r.Sequential, r.SequentialDecreasing];
    }

    public static void WriteFiles(SpreadResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(false);
        using (var csv = new StreamWriter(Path.Combine(directory, CsvFile), false, utf8))
        {
            csv.WriteLine(CsvHeader);
            foreach (var run in Runs(result))
            {
                var label = run.Label.Contains(',', StringComparison.Ordinal) ? $"\"{run.Label}\"" : run.Label;
                foreach (var p in run.Points)
                {
                    var gap = result.OptimalValue is { } f ? (p.Loss - f).ToString("R", Inv) : "";
                    csv.WriteLine(string.Create(Inv, $"{label},{p.Iteration},{p.Eta:R},{p.DiameterCw:R},{p.Bound:R},{p.Loss:R},{gap},{p.Nodes}"));
                }
            }
        }
        File.WriteAllText(Path.Combine(directory, SpreadPlotFile), SpreadPlot(result), utf8);
        File.WriteAllText(Path.Combine(directory, LossPlotFile), LossPlot(result), utf8);
    }

    /// <summary>Δcw per iteration of the constant, decreasing and partition runs, each with its bound dashed in the same colour.</summary>
    public static string SpreadPlot(SpreadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var series = new List<PlotSeries>();
        var colour = 0;
        foreach (var run in new[] { result.Constant, result.Decreasing, result.Partition })
        {
            series.Add(new PlotSeries($"Δcw, {run.Label}", [.. run.Points.Select(p => ((double)p.Iteration, p.DiameterCw))], colour,
                Note: $"max {run.MaxDiameter.ToString("G3", Inv)}; worst Δcw/bound {run.WorstRatio.ToString("G3", Inv)}"));
            if (run != result.Partition)
            {
                series.Add(new PlotSeries($"bound, {run.Label}", [.. run.Points.Select(p => ((double)p.Iteration, p.Bound))], colour, Dashed: true,
                    Note: run == result.Constant ? $"η C, C = {result.C.ToString("G4", Inv)}" : "η_⌊t/2⌋ C + η₁ C q^⌊t/2⌋"));
            }
            colour++;
        }
        var s = result.Settings;
        return SvgPlot.Render(
            $"Δcw of the nodes' models per iteration (final-rounds = 0), {s.Spec.Layout.ClusterCount} clusters, {s.Spec.Layout.N} nodes",
            "iteration", "Δcw (log scale)", series);
    }

    /// <summary>f − f* (or f) of the nodes' average model per iteration against sequential minibatch SGD with the same gradients.</summary>
    public static string LossPlot(SpreadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var f = result.OptimalValue ?? 0;
        var series = Runs(result).Select((run, i) => new PlotSeries(
            run.Label, [.. run.Points.Select(p => ((double)p.Iteration, p.Loss - f))], i < 3 ? i : i - 3, Dashed: i >= 3)).ToList();
        var what = result.OptimalValue is null ? "f" : "f − f*";
        return SvgPlot.Render($"{what} of the average model: decentralized vs sequential minibatch SGD (batch n·b)", "iteration", $"{what} (log scale)", series);
    }

    public static void WriteTable(SpreadResult r, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(output);
        var s = r.Settings;
        var spec = s.Spec;
        var t = s.Iterations;
        output.WriteLine(string.Create(Inv,
            $"spread experiment ({s.Source}): {spec.Training.Data.Name}, {s.ModelSummary}, {spec.Layout.ClusterCount} clusters, {spec.Layout.N} nodes, batch {spec.Training.BatchSize}, R = {spec.Protocol.Rounds}, final-rounds = 0, {t} iterations, seed {spec.Seed}"));
        output.WriteLine(string.Create(Inv,
            $"constant η = {s.Step:G4}{(s.StepIsPaperBound ? " = 1/(2 L d (⌊m/2⌋+1))" : "")}, L = {r.Smoothness:G4} (upper bound), d = {spec.Training.Dimension}, m = {spec.Layout.ClusterCount}"));
        output.WriteLine(string.Create(Inv,
            $"C = 4 d ⌊m/2⌋ σ + 2 ε_max (⌊m/2⌋+1) = {r.C:G4} with σ = {r.Sigma:G4} (largest |g_i − ∇f_i|), ε_max = {r.EpsilonMax:G4} (largest ‖g − ∇f‖₁); q = {r.Q:G4}"));
        output.WriteLine();
        var f = r.OptimalValue;
        output.WriteLine($"{"run",-44}  {"max Δcw",10}  {"worst Δcw/bound",15}  {"mean Δcw, first ¼",17}  {"mean Δcw, last ¼",16}  {(f is null ? "final f" : "final f − f*"),13}  completed");
        foreach (var run in Runs(r))
        {
            var distributed = run != r.Sequential && run != r.SequentialDecreasing;
            var q1 = run.MeanDiameter(1, Math.Max(1, t / 4));
            var q4 = run.MeanDiameter(t - (t / 4) + 1, t);
            output.WriteLine(string.Create(Inv,
                $"{run.Label,-44}  {(distributed ? run.MaxDiameter.ToString("G4", Inv) : "-"),10}  {(distributed && run != r.Partition ? run.WorstRatio.ToString("G3", Inv) : "-"),15}  {(distributed ? q1.ToString("G4", Inv) : "-"),17}  {(distributed ? q4.ToString("G4", Inv) : "-"),16}  {(run.FinalLoss - (f ?? 0)).ToString("G4", Inv),13}  {(run.Completed ? "yes" : "NO")}"));
        }
        var p = r.Progress;
        output.WriteLine();
        output.WriteLine(string.Create(Inv,
            $"partition (any:{s.Any}): [{string.Join(", ", s.Cut)}] cut off from iteration {s.PartitionFrom} to {s.PartitionUntil} of the frontier; while cut apart the cut side advanced {p.CutAdvance} iterations ({p.CutBefore} → {p.CutAfter}) and the rest {p.RestAdvance} ({p.RestBefore} → {p.RestAfter}){(p.Healed ? "" : "; never healed")}"));
    }

    public static void WriteJson(SpreadResult r, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(output);
        var t = r.Settings.Iterations;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("step", r.Settings.Step);
            w.WriteBoolean("step_is_paper_bound", r.Settings.StepIsPaperBound);
            w.WriteNumber("c", r.C);
            w.WriteNumber("sigma", r.Sigma);
            w.WriteNumber("epsilon_max", r.EpsilonMax);
            w.WriteNumber("q", r.Q);
            w.WriteNumber("smoothness", r.Smoothness);
            if (r.OptimalValue is { } fStar)
            {
                w.WriteNumber("f_star", fStar);
            }
            else
            {
                w.WriteNull("f_star");
            }
            w.WriteStartArray("runs");
            foreach (var run in Runs(r))
            {
                w.WriteStartObject();
                w.WriteString("name", run.Label);
                w.WriteNumber("max_delta_cw", run.MaxDiameter);
                w.WriteNumber("worst_ratio_to_bound", run.WorstRatio);
                w.WriteNumber("mean_delta_cw_first_quarter", Finite(run.MeanDiameter(1, Math.Max(1, t / 4))));
                w.WriteNumber("mean_delta_cw_last_quarter", Finite(run.MeanDiameter(t - (t / 4) + 1, t)));
                w.WriteNumber("final_f", run.FinalLoss);
                w.WriteBoolean("completed", run.Completed);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("partition");
            w.WriteNumber("any", r.Settings.Any);
            w.WriteNumber("cut_advance", r.Progress.CutAdvance);
            w.WriteNumber("rest_advance", r.Progress.RestAdvance);
            w.WriteBoolean("healed", r.Progress.Healed);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
