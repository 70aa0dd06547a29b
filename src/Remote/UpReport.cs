using System.Globalization;
using Decentral.Agreement;
using Decentral.Nodes.Runtime;

namespace Decentral.Remote;

/// <summary>`decentral up --json`: the whole deployment's outcome, measured on every live node's final model.</summary>
public sealed record UpReport(
    string Mode,
    bool Completed,
    double WallSeconds,
    int Clusters,
    int Nodes,
    int Iterations,
    ulong Seed,
    FinalState Final,
    IReadOnlyList<UpClusterReport> PerCluster);

/// <summary>One cluster's process as `up` saw it end.</summary>
public sealed record UpClusterReport(
    string Cluster,
    int? Pid,
    bool Completed,
    int Frontier,
    FinalState? Final,
    long Skips,
    long MessagesSent,
    long Rejected,
    string? Problem);

/// <summary>Builds the report from the processes' summary files and renders it.</summary>
internal static class UpReports
{
    public static UpReport Build(Configuration.ConfiguredRun run, RemoteOptions remote, IReadOnlyList<ClusterSummaryReport?> summaries, IReadOnlyList<string?> problems, double wallSeconds)
    {
        var perCluster = new List<UpClusterReport>();
        var models = new List<ReadOnlyMemory<double>>();
        for (var c = 0; c < remote.Clusters.Count; c++)
        {
            var s = summaries[c];
            if (s is null)
            {
                perCluster.Add(new UpClusterReport(remote.Clusters[c], null, false, 0, null, 0, 0, 0, problems[c] ?? "no summary (the process did not stop normally)"));
                continue;
            }

            models.AddRange(s.Nodes.Where(n => !n.Crashed && n.Model is not null).Select(n => (ReadOnlyMemory<double>)n.Model));
            perCluster.Add(new UpClusterReport(
                s.Cluster, s.Pid, s.Completed, s.Nodes.Count == 0 ? 0 : s.Nodes.Max(n => n.Iteration), s.Summary.Final, s.Summary.Skips,
                s.Transport.MessagesSent, s.Transport.Rejected, problems[c]));
        }

        var layout = run.Spec.Layout;
        return new UpReport(
            "up",
            summaries.All(s => s is { Completed: true }),
            wallSeconds,
            layout.ClusterCount,
            layout.N,
            run.Spec.Protocol.Iterations,
            run.Spec.Seed,
            Evaluate(run, models),
            perCluster);
    }

    /// <summary>Loss and ‖∇f‖² at the mean of the live nodes' models, and their diameters (NaN when none reported).</summary>
    public static FinalState Evaluate(Configuration.ConfiguredRun run, IReadOnlyList<ReadOnlyMemory<double>> models)
    {
        if (models.Count == 0)
        {
            return new FinalState(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var mean = new double[models[0].Length];
        VectorMath.Mean(models, mean);
        var gradient = new double[mean.Length];
        var loss = run.Spec.Training.GlobalObjective().Gradient(mean, gradient);
        var norm = System.Numerics.Tensors.TensorPrimitives.Dot<double>(gradient, gradient);
        return new FinalState(loss, norm, VectorMath.DiameterCw(models), VectorMath.DiameterL2(models), models.Count);
    }

    public static void WriteText(UpReport report, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{"cluster",-10}{"pid",8}{"frontier",10}{"done",6}{"loss",12}{"Δ₂",11}{"skips",7}{"sent",9}{"rejected",10}"));
        foreach (var c in report.PerCluster)
        {
            output.WriteLine(string.Create(inv,
                $"{c.Cluster,-10}{c.Pid?.ToString(inv) ?? "-",8}{c.Frontier,10}{(c.Completed ? "yes" : "no"),6}{c.Final?.Loss ?? double.NaN,12:G5}{c.Final?.DiameterL2 ?? double.NaN,11:G3}{c.Skips,7}{c.MessagesSent,9}{c.Rejected,10}{(c.Problem is null ? "" : "  " + c.Problem)}"));
        }

        var f = report.Final;
        output.WriteLine(string.Create(inv,
            $"{(report.Completed ? "completed" : "not completed")}: {report.Nodes} nodes in {report.Clusters} processes, T={report.Iterations}, {report.WallSeconds:F1} s; " +
            $"all live nodes ({f.LiveNodes}): loss {f.Loss:G6}, ‖∇f‖² {f.GradNormSq:G3}, Δcw {f.DiameterCw:G3}, Δ₂ {f.DiameterL2:G3}"));
    }

    /// <summary>One line of the live view: per cluster its frontier, Δ₂ among its nodes and associated peers.</summary>
    public static string LiveLine(TimeSpan elapsed, RemoteOptions remote, IReadOnlyList<ClusterStatusReport?> statuses)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        for (var c = 0; c < statuses.Count; c++)
        {
            var s = statuses[c];
            if (s is null)
            {
                parts.Add($"{remote.Clusters[c]} down");
                continue;
            }

            var connected = s.Peers.Count(p => p.Link == "connected");
            var faults = s.Peers.Any(p => p.Faults != "none") ? " faults" : "";
            parts.Add(string.Create(inv,
                $"{s.Cluster} {s.Frontier}/{s.Iterations}{(s.Done ? " done" : "")} Δ₂ {s.DiameterL2 ?? double.NaN:0.0e+0} links {connected}/{s.Peers.Count}{faults}"));
        }

        return string.Create(inv, $"[{elapsed.TotalSeconds,6:F1}s] ") + string.Join(" | ", parts);
    }
}
