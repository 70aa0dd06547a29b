using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Decentral.Remote;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral status --config FILE [--json]`: asks every cluster's admin endpoint for its status (per
/// node: iteration, round, finished; per cluster: Δ₂ among its nodes, its Akka.Remote associations and
/// counters). Exit code 0
/// when every cluster answered, 1 when some are down.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var config = RemoteCli.ConfigOption();
        var set = ConfigCommand.SetOption();
        var json = RemoteCli.JsonOption("Print one JSON object: {\"clusters\": [{cluster, reachable, status}]}");
        var command = new Command("status", "Show every cluster process of a multi-process deployment (via the admin endpoints)")
        {
            config, set, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (RemoteCli.Load(parse.GetValue(config), parse.GetValue(set) ?? [], stderr, "decentral status") is not { } loaded)
            {
                return Cli.BadInput;
            }

            var remote = loaded.Remote;
            using var admin = new AdminClient(TimeSpan.FromSeconds(3));
            var statuses = await Task.WhenAll(Enumerable.Range(0, remote.Clusters.Count).Select(c => admin.StatusAsync(remote.AdminUri(c), cancellationToken))).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                var clusters = statuses.Select((s, c) => new ClusterEntry(remote.Clusters[c], s is not null, s));
                stdout.WriteLine(JsonSerializer.Serialize(new { clusters }, AdminJson.Options));
            }
            else
            {
                WriteTable(remote, statuses, stdout);
            }

            return statuses.All(s => s is not null) ? 0 : 1;
        });
        return command;
    }

    private static void WriteTable(RemoteOptions remote, IReadOnlyList<ClusterStatusReport?> statuses, TextWriter stdout)
    {
        var inv = CultureInfo.InvariantCulture;
        for (var c = 0; c < statuses.Count; c++)
        {
            if (statuses[c] is not { } s)
            {
                stdout.WriteLine($"{remote.Clusters[c]}: down (no answer on admin port {remote.AdminPorts[c]})");
                continue;
            }

            stdout.WriteLine(string.Create(inv,
                $"{s.Cluster}: pid {s.Pid}, {s.Address}, iteration {s.Frontier}/{s.Iterations}{(s.Done ? " done" : "")}, Δ₂ {s.DiameterL2 ?? double.NaN:G3}, Δcw {s.DiameterCw ?? double.NaN:G3}, up {s.UptimeSeconds:F0} s"));
            foreach (var n in s.Nodes)
            {
                var start = n.FromCheckpoint ? $", recovered at {n.StartIteration}, first completed {n.FirstCompletedAfterStart?.ToString(inv) ?? "-"}" : "";
                stdout.WriteLine(string.Create(inv,
                    $"  {n.Name}: iteration {n.Iteration} round {n.Round}{(n.Finished ? " finished" : "")}{(n.Crashed ? " crashed" : "")}, skipped {n.SkippedIterations}{start}"));
            }

            foreach (var p in s.Peers)
            {
                var dialed = p.DialedBy is null ? "" : $" (opened by {(p.DialedBy == "here" ? "this process" : p.Cluster)})";
                stdout.WriteLine($"  → {p.Cluster}: {p.Link}{dialed}, faults {p.Faults}{(p.LastError is null ? "" : ", last error: " + p.LastError)}");
                if (p.Outbox is { } o)
                {
                    stdout.WriteLine(string.Create(inv,
                        $"    outbox: {o.PendingMessages} waiting, {o.InFlight}/{o.Window} in flight, {o.Sent} sent, {o.Acknowledged} acknowledged, {o.Superseded} superseded, {o.TimedOut} timed out"));
                }
            }

            if (s.Membership is { } m)
            {
                var members = string.Join(", ", m.Members.Select(x => $"{x.Role} {x.Status}{(x.Reachable ? "" : " unreachable")}"));
                stdout.WriteLine(string.Create(inv,
                    $"  cluster: this process {m.SelfStatus}, leader {m.Leader ?? "none"}; members {members}; {m.UnreachableEvents} unreachable events"));
            }

            var t = s.Transport;
            var reasons = t.Rejections.Count == 0 ? "" : " (" + string.Join(", ", t.Rejections.Select(r => $"{r.Key} {r.Value}")) + ")";
            stdout.WriteLine(string.Create(inv,
                $"  messages {t.MessagesSent} sent / {t.MessagesReceived} received, {t.Rejected} rejected{reasons}, {t.AssociationErrors} association errors, {s.Faults.Delayed} delayed"));
            stdout.WriteLine(t.Tls
                ? string.Create(inv, $"  TLS on: {t.ConnectionsRefused} connections refused at the handshake, {t.CertificatesRejected} peer certificates rejected")
                : "  TLS off (plaintext, loopback only)");
        }
    }

    private sealed record ClusterEntry(string Cluster, bool Reachable, ClusterStatusReport? Status);
}
