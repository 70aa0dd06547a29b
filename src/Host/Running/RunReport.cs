using System.Globalization;
using System.Text.Json;
using Decentral.Nodes.Runtime;
using Spectre.Console;

namespace Decentral.Host.Running;

/// <summary>The end of a `run`/`simulate`: the JSON document and the human summary table.</summary>
internal static class RunReport
{
    public static string Json(RunSummary s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("mode", s.Mode);
            w.WriteNumber("nodes", s.Nodes);
            w.WriteNumber("clusters", s.Clusters);
            w.WriteNumber("iterations", s.Iterations);
            w.WriteNumber("seed", s.Seed);
            w.WriteNumber("wall_seconds", Math.Round(s.WallSeconds, 6));
            w.WriteNumber("virtual_seconds", Math.Round(s.VirtualSeconds, 6));
            w.WritePropertyName("final");
            w.WriteStartObject();
            Number(w, "loss", s.Final.Loss);
            Number(w, "grad_norm_sq", s.Final.GradNormSq);
            Number(w, "diameter_cw", s.Final.DiameterCw);
            Number(w, "diameter_l2", s.Final.DiameterL2);
            w.WriteNumber("live_nodes", s.Final.LiveNodes);
            w.WriteEndObject();
            w.WritePropertyName("faults");
            w.WriteStartArray();
            foreach (var f in s.Faults)
            {
                w.WriteStartObject();
                w.WriteString("fault", f.Fault);
                w.WriteNumber("iteration", f.Frontier);
                w.WriteNumber("seconds", Math.Round(f.Seconds, 6));
                if (f.Error is { } e)
                {
                    w.WriteString("error", e);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (s.Failures.Count > 0)
            {
                w.WritePropertyName("failed_nodes");
                w.WriteStartArray();
                foreach (var f in s.Failures)
                {
                    w.WriteStartObject();
                    w.WriteString("node", f.Node);
                    w.WriteNumber("iteration", f.Iteration);
                    w.WriteString("error", f.Error);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteNumber("skips", s.Skips);
            w.WriteNumber("messages", s.Messages);
            w.WriteNumber("model_bytes", s.Bytes);
            w.WriteBoolean("completed", s.Completed);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Table(IAnsiConsole console, RunSummary s, IReadOnlyList<NodeSnapshot> nodes)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().Title($"{s.Mode}: {(s.Completed ? "completed" : "NOT completed")}").AddColumns("node", "iteration", "skipped", "state", "messages in");
        foreach (var n in nodes)
        {
            var state = n.Failure is not null ? "[red]failed (model)[/]" : n.Crashed ? "[red]crashed[/]" : n.Finished ? "[green]finished[/]" : "[yellow]running[/]";
            table.AddRow(n.Name, n.Iteration.ToString(inv), n.SkippedIterations.ToString(inv), state, n.MessagesReceived.ToString(inv));
        }
        console.Write(table);
        var summary = new Table().HideHeaders().AddColumns("", "");
        summary.AddRow("nodes / clusters", $"{s.Nodes} / {s.Clusters} ({s.Final.LiveNodes} live)");
        summary.AddRow("final loss (average model)", s.Final.Loss.ToString("g8", inv));
        summary.AddRow("final ‖∇f‖²", s.Final.GradNormSq.ToString("g4", inv));
        summary.AddRow("Δcw / Δ₂ among live nodes", $"{s.Final.DiameterCw.ToString("g3", inv)} / {s.Final.DiameterL2.ToString("g3", inv)}");
        summary.AddRow("iterations skipped (all nodes)", s.Skips.ToString(inv));
        summary.AddRow("messages / bytes", $"{s.Messages.ToString(inv)} / {s.Bytes.ToString(inv)}");
        summary.AddRow("time", $"{s.WallSeconds.ToString("0.###", inv)} s wall, {s.VirtualSeconds.ToString("0.###", inv)} s {(s.Mode == "simulate" ? "virtual" : "run")}");
        summary.AddRow("faults", s.Faults.Count == 0 ? "none" : string.Join("; ", s.Faults.Select(f => $"{f.Fault} @ it {f.Frontier}{(f.Error is null ? "" : " FAILED: " + f.Error)}")));
        console.Write(summary);
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
