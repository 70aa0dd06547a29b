using System.Diagnostics;
using System.Text.Json;

namespace Decentral.Remote;

/// <summary>What `decentral up` was asked to do.</summary>
internal sealed record UpOptions(string? ConfigFile, IReadOnlyList<string> Overrides, bool Json, TimeSpan Interval, TimeSpan Grace);

/// <summary>
/// `decentral up`: a fresh local deployment, one `decentral node` process per cluster on the configured
/// loopback ports. Shows a live view from the admin endpoints, ends when every cluster is done (a
/// cluster whose process is gone for longer than the grace period counts as done), then shuts all
/// processes down, collects their summary files and reports the deployment's outcome. Ctrl-C stops early
/// the same way (the processes also see the signal and stop by themselves).
/// </summary>
internal sealed class UpSession
{
    /// <summary>How long a process may take to answer on its admin port after it was started.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly UpOptions _options;
    private readonly Configuration.ConfiguredRun _run;
    private readonly RemoteOptions _remote;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly AdminClient _admin = new(TimeSpan.FromSeconds(3));
    private readonly Process?[] _children;
    private readonly string?[] _problems;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private UpSession(UpOptions options, Configuration.ConfiguredRun run, RemoteOptions remote, TextWriter stdout, TextWriter stderr)
    {
        _options = options;
        _run = run;
        _remote = remote;
        _stdout = stdout;
        _stderr = stderr;
        _children = new Process?[remote.Clusters.Count];
        _problems = new string?[remote.Clusters.Count];
    }

    private int Count => _remote.Clusters.Count;

    /// <summary>Runs `decentral up` for a loaded deployment (whose certificate, if any, the caller checked opens).</summary>
    public static async Task<int> RunAsync(UpOptions options, Configuration.ConfiguredRun run, RemoteOptions remote, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(remote);
        var session = new UpSession(options, run, remote, stdout, stderr);
        try
        {
            return await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session._admin.Dispose();
            foreach (var child in session._children)
            {
                child?.Dispose();
            }
        }
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        for (var c = 0; c < Count; c++)
        {
            if (await _admin.StatusAsync(_remote.AdminUri(c), cancellationToken).ConfigureAwait(false) is { } running)
            {
                _stderr.WriteLine($"decentral up: cluster {running.Cluster} is already running (pid {running.Pid}, admin port {_remote.AdminPorts[c]}); stop it first.");
                return 1;
            }
        }

        PrepareStateDirectory();
        for (var c = 0; c < Count; c++)
        {
            _children[c] = ProcessLauncher.StartNode(_options.ConfigFile, _remote.Clusters[c], _options.Overrides, _remote.LogFile(c), untilShutdown: true, Environment.ProcessId);
        }

        if (!_options.Json)
        {
            _stdout.WriteLine($"decentral up: {Count} processes ({string.Join(", ", _children.Select((p, c) => $"{_remote.Clusters[c]} pid {p!.Id}"))}), logs in {_remote.StateDirectory}");
        }

        bool started;
        try
        {
            started = await MonitorAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await StopAllAsync().ConfigureAwait(false);
        }

        var summaries = Enumerable.Range(0, Count).Select(ReadSummary).ToList();
        var report = UpReports.Build(_run, _remote, summaries, _problems, _clock.Elapsed.TotalSeconds);
        if (_options.Json)
        {
            _stdout.WriteLine(JsonSerializer.Serialize(report, AdminJson.RunShaped));
        }
        else
        {
            UpReports.WriteText(report, _stdout);
        }

        return started && report.Completed ? 0 : 1;
    }

    /// <summary>Polls until every cluster is done; false when a process could not start.</summary>
    private async Task<bool> MonitorAsync(CancellationToken cancellationToken)
    {
        var lastSeen = new TimeSpan?[Count];
        var lastLine = "";
        while (!cancellationToken.IsCancellationRequested)
        {
            var statuses = await Task.WhenAll(Enumerable.Range(0, Count).Select(c => _admin.StatusAsync(_remote.AdminUri(c), cancellationToken))).ConfigureAwait(false);
            var now = _clock.Elapsed;
            for (var c = 0; c < Count; c++)
            {
                if (statuses[c] is not null)
                {
                    lastSeen[c] = now;
                }
                else if (lastSeen[c] is null && File.Exists(_remote.PidFile(c)))
                {
                    // The pid file is written once the admin endpoint serves: it started, and was killed
                    // before one of our polls caught it.
                    lastSeen[c] = now;
                }
                else if (lastSeen[c] is null && (_children[c]!.HasExited || now > StartTimeout))
                {
                    _problems[c] = _children[c]!.HasExited
                        ? $"exited with code {_children[c]!.ExitCode} before serving: {LastLines(_remote.LogFile(c))}"
                        : $"did not answer on admin port {_remote.AdminPorts[c]} within {StartTimeout.TotalSeconds} s";
                    _stderr.WriteLine($"decentral up: cluster {_remote.Clusters[c]} {_problems[c]}");
                    return false;
                }
            }

            if (!_options.Json)
            {
                var line = UpReports.LiveLine(now, _remote, statuses);
                if (line[10..] != lastLine)
                {
                    _stdout.WriteLine(line);
                    lastLine = line[10..];
                }
            }

            var gone = Enumerable.Range(0, Count).Where(c => statuses[c] is null && lastSeen[c] is { } seen && now - seen > _options.Grace).ToList();
            if (statuses.Any(s => s is not null) && Enumerable.Range(0, Count).All(c => statuses[c] is { Done: true } || gone.Contains(c)))
            {
                foreach (var c in gone)
                {
                    _problems[c] = $"gone since {lastSeen[c]!.Value.TotalSeconds:F1} s (crashed and not restarted)";
                }

                return true;
            }

            try
            {
                await Task.Delay(_options.Interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _stderr.WriteLine("decentral up: interrupted; stopping every process");
        return true;
    }

    /// <summary>Asks every process to stop (they write their summaries), waits (bounded), then kills what is left of ours.</summary>
    private async Task StopAllAsync()
    {
        using var bounded = new CancellationTokenSource(StopTimeout);
        await Task.WhenAll(Enumerable.Range(0, Count).Select(c => _admin.PostAsync(_remote.AdminUri(c), "shutdown", bounded.Token))).ConfigureAwait(false);
        for (var c = 0; c < Count; c++)
        {
            // Processes started by `fault restart` are not our children: wait for their endpoints to go away.
            while (!bounded.IsCancellationRequested && await _admin.StatusAsync(_remote.AdminUri(c), CancellationToken.None).ConfigureAwait(false) is not null)
            {
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            }
        }

        foreach (var child in _children)
        {
            if (child is null)
            {
                continue;
            }

            try
            {
                await child.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A fresh run: no checkpoints, summaries or pid files of an earlier one.</summary>
    private void PrepareStateDirectory()
    {
        Directory.CreateDirectory(_remote.StateDirectory);
        for (var c = 0; c < Count; c++)
        {
            var checkpoints = NodeHost.CheckpointPath(_run, _remote, c);
            foreach (var path in new[] { checkpoints, checkpoints + "-wal", checkpoints + "-shm", _remote.SummaryFile(c), _remote.PidFile(c) })
            {
                File.Delete(path);
            }
        }
    }

    private ClusterSummaryReport? ReadSummary(int cluster)
    {
        var path = _remote.SummaryFile(cluster);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClusterSummaryReport>(File.ReadAllText(path), AdminJson.Options);
        }
        catch (JsonException e)
        {
            _problems[cluster] = $"unreadable summary {path}: {e.Message}";
            return null;
        }
    }

    private static string LastLines(string logFile)
    {
        try
        {
            var lines = File.ReadAllLines(logFile);
            return string.Join(" / ", lines.Where(l => !l.Contains(" info ", StringComparison.Ordinal)).TakeLast(3));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
