using System.Diagnostics;
using System.Globalization;
using Decentral.Agreement;
using Decentral.Nodes.Runtime;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Decentral.Host.Running;

/// <summary>
/// Live progress of a local run: the slowest and fastest node's iteration, loss of the average model,
/// Δ₂ among live nodes, and faults as they happen. On an interactive terminal a live table per node;
/// otherwise (redirected output, or --json) a line at most every <see cref="LineInterval"/> on stderr.
/// </summary>
internal sealed class RunProgress
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(1);
    private readonly ClusterRuntime runtime;
    private readonly TextWriter lines;
    private readonly Stopwatch sinceLine = Stopwatch.StartNew();
    private int faultsShown;

    public RunProgress(ClusterRuntime runtime, TextWriter lines)
    {
        this.runtime = runtime;
        this.lines = lines;
    }

    /// <summary>A one-line status (also what the live view's caption shows).</summary>
    public string Line()
    {
        var inv = CultureInfo.InvariantCulture;
        var nodes = runtime.Snapshot();
        var live = nodes.Where(n => !n.Crashed && n.Model.Length > 0).ToList();
        var models = live.Select(n => n.Model).ToList();
        var diameter = models.Count > 1 ? VectorMath.DiameterL2(models) : 0;
        var loss = double.NaN;
        if (models.Count > 0)
        {
            var mean = new double[models[0].Length];
            VectorMath.Mean(models, mean);
            loss = runtime.Evaluation.Value(mean);
        }
        var min = live.Count == 0 ? 0 : live.Min(n => n.Iteration);
        var max = live.Count == 0 ? 0 : live.Max(n => n.Iteration);
        return string.Create(inv,
            $"[{runtime.Elapsed.TotalSeconds,7:0.00} s] iteration {min}…{max} of {runtime.Spec.Protocol.Iterations}  loss {loss:g6}  Δ₂ {diameter:g3}  live {live.Count}/{nodes.Count}");
    }

    /// <summary>Writes a progress line when one is due, and every fault applied since the last call.</summary>
    public void MaybeWriteLine(bool force = false)
    {
        WriteNewFaults(lines);
        if (force || sinceLine.Elapsed >= LineInterval)
        {
            lines.WriteLine(Line());
            sinceLine.Restart();
        }
    }

    /// <summary>The live view: a row per node and the status line as caption.</summary>
    public IRenderable View()
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("node", "iteration", "round", "skipped", "state");
        foreach (var n in runtime.Snapshot())
        {
            var state = n.Failure is not null ? "[red]failed (model)[/]" : n.Crashed ? "[red]crashed[/]" : n.Finished ? "[green]finished[/]" : "running";
            table.AddRow(n.Name, n.Iteration.ToString(inv), n.Stage.Round.ToString(inv), n.SkippedIterations.ToString(inv), state);
        }
        var faults = runtime.FaultLog;
        var caption = Markup.Escape(Line());
        if (faults.Count > 0)
        {
            caption += "\n" + Markup.Escape("faults: " + string.Join("; ", faults.Select(f => $"{f.Fault} @ it {f.Frontier}")));
        }
        return table.Caption(caption);
    }

    private void WriteNewFaults(TextWriter writer)
    {
        var faults = runtime.FaultLog;
        for (; faultsShown < faults.Count; faultsShown++)
        {
            var f = faults[faultsShown];
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{f.Seconds,7:0.00} s] fault: {f.Fault} at iteration {f.Frontier}{(f.Error is null ? "" : " — FAILED: " + f.Error)}"));
        }
    }
}
