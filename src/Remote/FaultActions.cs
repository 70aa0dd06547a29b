using System.Diagnostics;

namespace Decentral.Remote;

/// <summary>A bad argument to a fault command (exit code 2).</summary>
internal sealed class FaultUsageException(string message) : Exception(message);

/// <summary>Everything a fault command needs.</summary>
internal sealed record FaultContext(
    Configuration.ConfiguredRun Run,
    RemoteOptions Remote,
    string? ConfigFile,
    IReadOnlyList<string> Overrides,
    AdminClient Admin,
    TextWriter Stdout,
    TextWriter Stderr,
    string Command,
    CancellationToken CancellationToken);

/// <summary>What the fault commands do, in terms of admin endpoint calls and process starts.</summary>
internal static class FaultActions
{
    /// <summary>How long `restart` waits for the new process to answer, and `crash` for the old one to vanish.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> CrashAsync(FaultContext ctx, string target)
    {
        var (cluster, node) = Resolve(ctx, target);
        var endpoint = ctx.Remote.AdminUri(cluster);
        var before = await ctx.Admin.StatusAsync(endpoint, ctx.CancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            ctx.Stderr.WriteLine($"{ctx.Command}: {ctx.Remote.Clusters[cluster]} is not running (no answer on admin port {ctx.Remote.AdminPorts[cluster]}).");
            return 1;
        }

        if (node is not null)
        {
            return Report(ctx, ctx.Remote.Clusters[cluster], await ctx.Admin.PostAsync(endpoint, $"fault/crash?target={Uri.EscapeDataString(node)}", ctx.CancellationToken).ConfigureAwait(false));
        }

        // The process dies mid-request, so the answer is no answer: confirm by waiting for it to be gone.
        await ctx.Admin.PostAsync(endpoint, "fault/crash", ctx.CancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        while (IsAlive(before.Pid) && clock.Elapsed < Patience)
        {
            await Task.Delay(50, ctx.CancellationToken).ConfigureAwait(false);
        }

        if (IsAlive(before.Pid))
        {
            ctx.Stderr.WriteLine($"{ctx.Command}: process {before.Pid} of {before.Cluster} is still alive after {Patience.TotalSeconds} s.");
            return 1;
        }

        ctx.Stdout.WriteLine($"{before.Cluster}: crashed (process {before.Pid} killed at iteration {before.Frontier})");
        return 0;
    }

    public static async Task<int> RestartAsync(FaultContext ctx, string target)
    {
        var (cluster, node) = Resolve(ctx, target);
        var name = ctx.Remote.Clusters[cluster];
        var endpoint = ctx.Remote.AdminUri(cluster);
        if (node is not null)
        {
            return Report(ctx, name, await ctx.Admin.PostAsync(endpoint, $"fault/restart?target={Uri.EscapeDataString(node)}", ctx.CancellationToken).ConfigureAwait(false));
        }

        if (await ctx.Admin.StatusAsync(endpoint, ctx.CancellationToken).ConfigureAwait(false) is { } running)
        {
            ctx.Stderr.WriteLine($"{ctx.Command}: {name} is running (pid {running.Pid}); crash it first.");
            return 1;
        }

        // Join the deployment the way its other processes run: with their --set overrides (unless given
        // here) and, under `up`, serving until shut down and dying with it.
        var peers = await Task.WhenAll(Enumerable.Range(0, ctx.Remote.Clusters.Count).Where(c => c != cluster)
            .Select(c => ctx.Admin.StatusAsync(ctx.Remote.AdminUri(c), ctx.CancellationToken))).ConfigureAwait(false);
        var peer = peers.FirstOrDefault(p => p is not null);
        var overrides = ctx.Overrides.Count == 0 && peer is not null ? peer.Overrides : ctx.Overrides;
        using var process = ProcessLauncher.StartNode(
            ctx.ConfigFile, name, overrides, ctx.Remote.LogFile(cluster), peer?.UntilShutdown ?? false, peer?.ParentPid);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience && !process.HasExited)
        {
            if (await ctx.Admin.StatusAsync(endpoint, ctx.CancellationToken).ConfigureAwait(false) is { } status)
            {
                ctx.Stdout.WriteLine($"{name}: restarted (pid {status.Pid}), recovering from {NodeHost.CheckpointPath(ctx.Run, ctx.Remote, cluster)}; log {ctx.Remote.LogFile(cluster)}");
                return 0;
            }

            await Task.Delay(100, ctx.CancellationToken).ConfigureAwait(false);
        }

        ctx.Stderr.WriteLine(process.HasExited
            ? $"{ctx.Command}: {name} exited with code {process.ExitCode}; see {ctx.Remote.LogFile(cluster)}"
            : $"{ctx.Command}: {name} (pid {process.Id}) did not answer within {Patience.TotalSeconds} s; see {ctx.Remote.LogFile(cluster)}");
        return 1;
    }

    public static Task<int> PartitionAsync(FaultContext ctx, IReadOnlyList<string> groups)
    {
        foreach (var name in groups.SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            Resolve(ctx, name);
        }

        var query = string.Join("&", groups.Select(g => "groups=" + Uri.EscapeDataString(g)));
        return BroadcastAsync(ctx, "fault/partition?" + query);
    }

    /// <summary>Sends the same fault to every process; down ones are reported, not fatal.</summary>
    public static async Task<int> BroadcastAsync(FaultContext ctx, string pathAndQuery)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, ctx.Remote.Clusters.Count)
            .Select(c => ctx.Admin.PostAsync(ctx.Remote.AdminUri(c), pathAndQuery, ctx.CancellationToken))).ConfigureAwait(false);
        var failed = 0;
        for (var c = 0; c < responses.Length; c++)
        {
            failed += Report(ctx, ctx.Remote.Clusters[c], responses[c]);
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>A link fault both ways: each end applies it to its own outgoing link.</summary>
    public static async Task<int> LinkAsync(FaultContext ctx, string kind, string a, string b, string query)
    {
        var (ca, _) = Resolve(ctx, a);
        var (cb, _) = Resolve(ctx, b);
        if (ca == cb)
        {
            throw new FaultUsageException($"{a} and {b} are the same cluster");
        }

        var first = await ctx.Admin.PostAsync(ctx.Remote.AdminUri(ca), $"fault/{kind}?to={ctx.Remote.Clusters[cb]}{query}", ctx.CancellationToken).ConfigureAwait(false);
        var second = await ctx.Admin.PostAsync(ctx.Remote.AdminUri(cb), $"fault/{kind}?to={ctx.Remote.Clusters[ca]}{query}", ctx.CancellationToken).ConfigureAwait(false);
        return Report(ctx, ctx.Remote.Clusters[ca], first) + Report(ctx, ctx.Remote.Clusters[cb], second) == 0 ? 0 : 1;
    }

    private static int Report(FaultContext ctx, string cluster, FaultResponse response)
    {
        if (response.Ok)
        {
            ctx.Stdout.WriteLine($"{cluster}: {response.Message}");
            return 0;
        }

        ctx.Stderr.WriteLine($"{ctx.Command}: {cluster}: {response.Message}");
        return 1;
    }

    /// <summary>"c3" → (c3, null); "c3/n1" → (c3, "c3/n1"); unknown names are a usage error.</summary>
    private static (int Cluster, string? Node) Resolve(FaultContext ctx, string target)
    {
        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? target : target[..slash];
        var cluster = ctx.Remote.IndexOf(name);
        if (cluster < 0)
        {
            throw new FaultUsageException($"no cluster is named '{name}' (clusters: {string.Join(", ", ctx.Remote.Clusters)})");
        }

        return (cluster, slash < 0 ? null : target);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
