using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Decentral.Configuration;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>What `decentral node` was asked to do.</summary>
public sealed record NodeRunOptions
{
    public string? ConfigFile { get; init; }

    public required string Cluster { get; init; }

    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Keep serving after finishing until POST /shutdown (as under `up`), instead of lingering.</summary>
    public bool UntilShutdown { get; init; }

    /// <summary>Shut down when this process (the `up` that started us) is gone.</summary>
    public int? ParentPid { get; init; }

    /// <summary>Write logs and the summary here instead of the console.</summary>
    public string? LogFile { get; init; }

    public bool Json { get; init; }

    /// <summary>
    /// This process may found the Akka cluster when no other seed answers, even after a restart: for
    /// exactly one process when a whole deployment restarts at once (otherwise nobody founds it).
    /// </summary>
    public bool FoundCluster { get; init; }
}

/// <summary>
/// One cluster in this OS process: its actor system on Akka.Remote at the configured address and its
/// nodes (<see cref="RemoteRuntimes.ForNode"/>), the fault layer on its outgoing links, SQLite
/// checkpoints in a per-cluster file (a restarted process recovers from them and skips to the
/// frontier), and the admin endpoint. Runs until its nodes finish and then lingers (or waits for
/// /shutdown), or until cancelled; writes a summary file at the end.
/// </summary>
internal sealed partial class NodeHost
{
    private readonly ConfiguredRun _run;
    private readonly RemoteOptions _remote;
    private readonly int _cluster;
    private readonly NodeRunOptions _options;
    private readonly ClusterRuntime _runtime;
    private readonly ActorSystem _system;
    private readonly ProtocolSerializer _serializer;
    private readonly AssociationTracker _associations;
    private readonly MembershipTracker _membership;
    private readonly TransportFaults _faults;
    private readonly TlsGuard? _tls;
    private readonly NodeTracker _tracker = new();
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log;

    private NodeHost(ConfiguredRun run, RemoteOptions remote, int cluster, NodeRunOptions options, ClusterRuntime runtime, TlsGuard? tls, ILogger log)
    {
        _run = run;
        _remote = remote;
        _cluster = cluster;
        _options = options;
        _runtime = runtime;
        _system = runtime.Systems.Single();
        _serializer = ProtocolSerializer.Of(_system);
        _associations = new AssociationTracker(_system);
        _membership = new MembershipTracker(_system);
        _faults = new TransportFaults(_system, remote, cluster);
        _tls = tls;
        _log = log;
        runtime.AddObserver(_tracker);
    }

    private string Name => _remote.Clusters[_cluster];

    /// <summary>This process's actor system address, as its peers dial it.</summary>
    private Address Self => RemoteRuntimes.AddressOf(_system);

    /// <summary>
    /// Runs `decentral node` to the end for cluster <paramref name="cluster"/> of a loaded deployment;
    /// the exit code (0 ok, 1 cannot start). <paramref name="tls"/> is the opened certificate when
    /// <see cref="RemoteOptions.Tls"/> is set (the caller reports one it cannot open).
    /// </summary>
    public static async Task<int> RunAsync(
        NodeRunOptions options, ConfiguredRun run, RemoteOptions remote, int cluster, TlsMaterial? tls,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, remote.Clusters.Count);
        if ((remote.Tls is null) != (tls is null))
        {
            throw new ArgumentException("The opened certificate must be given exactly when the deployment uses TLS.", nameof(tls));
        }

        Directory.CreateDirectory(remote.StateDirectory);
        var logFile = options.LogFile is null ? null : TextWriter.Synchronized(new StreamWriter(options.LogFile, append: true) { AutoFlush = true });
        var consoleError = Console.Error;
        try
        {
            var output = logFile ?? stdout;
            var errors = logFile ?? stderr;

            // Akka logs to standard error (StderrLogger): with --log, that is the log file too.
            if (logFile is not null)
            {
                Console.SetError(logFile);
            }

            using var provider = new TextWriterLoggerProvider(errors);
            using var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(provider));
            return await RunAsync(run, remote, cluster, options, tls, provider, logs, output, errors, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (logFile is not null)
            {
                Console.SetError(consoleError);
                await logFile.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunAsync(
        ConfiguredRun run, RemoteOptions remote, int cluster, NodeRunOptions options, TlsMaterial? material, ILoggerProvider provider, ILoggerFactory logs,
        TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var log = logs.CreateLogger("Decentral.Host.Node");
        var spec = run.Spec with
        {
            CheckpointStore = CheckpointStoreKind.Sqlite,
            CheckpointPath = CheckpointPath(run, remote, cluster),
        };
        // Beyond loopback the options reader already refused to go on without TLS.
        TlsGuard? tls = null;
        if (material is null)
        {
            log.LogWarning(
                "TLS is off ({Key} = null): Akka.Remote on {Address} accepts any peer and carries models in clear; fine on loopback only",
                TlsOptions.CertificateKey, remote.Addresses[cluster]);
        }
        else
        {
            tls = new TlsGuard(material, logs.CreateLogger("Decentral.Host.Tls"));
        }

        ClusterRuntime runtime;
        try
        {
            runtime = RemoteRuntimes.ForNode(spec, remote, cluster, logs, tls: tls, mayFound: options.FoundCluster);
        }
        catch (RemoteBindException e)
        {
            errors.WriteLine($"decentral node: {e.Message}");
            return 1;
        }

        using (runtime)
        {
            var host = new NodeHost(run, remote, cluster, options, runtime, tls, log);
            RemoteRuntimes.JoinCluster(runtime);
            foreach (var key in ProcessLauncher.GcEnvironment.Keys.Where(k => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(k))))
            {
                log.LogWarning(
                    "{Key} is not set: this process runs with .NET's small default gen0 budget, several times slower for models of 10^5 coordinates and more; start it with {Key}={Value} (`up` and `fault restart` do)",
                    key, key, ProcessLauncher.GcEnvironment[key]);
            }

            AdminEndpoint admin;
            try
            {
                admin = await AdminEndpoint.StartAsync(remote.AdminPorts[cluster], host, provider, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                errors.WriteLine($"decentral node: {e.Message}");
                return 1;
            }

            await using (admin.ConfigureAwait(false))
            {
                return await host.ServeAsync(output, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void RequestShutdown() => _shutdown.TrySetResult();

    private async Task<int> ServeAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var pidFile = _remote.PidFile(_cluster);
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
        _log.LogInformation(
            "Cluster {Cluster} (pid {Pid}) on {Address}, admin http://{AdminHost}:{AdminPort}/, wire {Wire}, TLS {Tls}, checkpoints {Checkpoints}",
            Name, Environment.ProcessId, Self, RemoteOptions.AdminHost, _remote.AdminPorts[_cluster], _remote.WireFormat.ToString().ToLowerInvariant(),
            _tls is null ? "off" : $"on (certificate {_tls.Material.Certificate.Subject}, pinned {string.Join(", ", _tls.Material.PinnedThumbprints)})",
            _runtime.Spec.CheckpointPath);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parentGone = WatchParentAsync(stop.Token);
        var shutdown = _shutdown.Task.WaitAsync(stop.Token);
        var finished = WaitUntilDoneAsync(stop.Token);
        await Task.WhenAny(finished, shutdown, parentGone).ConfigureAwait(false);
        if (finished.IsCompletedSuccessfully && !_shutdown.Task.IsCompleted && !parentGone.IsCompleted)
        {
            _log.LogInformation("All nodes of {Cluster} finished at iteration {Frontier}", Name, _runtime.Frontier);
            var linger = _options.UntilShutdown ? Task.Delay(Timeout.InfiniteTimeSpan, stop.Token) : Task.Delay(_remote.Linger, stop.Token);
            await Task.WhenAny(linger, shutdown, parentGone).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        var summary = Summary();
        WriteSummaryFile(summary);
        TryDelete(pidFile);
        if (_options.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(summary, AdminJson.Options));
        }
        else
        {
            var f = summary.Summary.Final;
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Name}: {(summary.Completed ? "completed" : "stopped")} at iteration {_runtime.Frontier}, loss {f.Loss:G6}, Δ₂ {f.DiameterL2:G3} among {f.LiveNodes} nodes, {summary.Transport.MessagesSent} messages sent, {summary.Transport.Rejected} rejected"));
        }

        return 0;
    }

    /// <summary>
    /// Waits for the local nodes to finish. Polls as well: the runtime's completion signal can fire
    /// before the last node's status is published, and then nothing would wake it again.
    /// </summary>
    private async Task WaitUntilDoneAsync(CancellationToken token)
    {
        while (!await _runtime.RunAsync(TimeSpan.FromMilliseconds(250), token).ConfigureAwait(false))
        {
        }
    }

    private async Task WatchParentAsync(CancellationToken token)
    {
        if (_options.ParentPid is not { } pid)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                if (!IsRunning(pid))
                {
                    _log.LogWarning("The parent process {Pid} is gone: shutting down", pid);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool IsRunning(int pid)
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

    private void WriteSummaryFile(ClusterSummaryReport summary)
    {
        var path = _remote.SummaryFile(_cluster);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(summary, AdminJson.Options));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The cluster's SQLite file: the configured path with the cluster name inserted, else the state directory's.</summary>
    internal static string CheckpointPath(ConfiguredRun run, RemoteOptions remote, int cluster)
    {
        var name = remote.Clusters[cluster];
        if (run.Settings.Checkpoint is { Store: CheckpointStoreKind.Sqlite, Path: { } configured })
        {
            var directory = Path.GetDirectoryName(configured) ?? remote.StateDirectory;
            Directory.CreateDirectory(directory);
            return Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(configured)}.{name}{Path.GetExtension(configured)}");
        }

        return Path.Combine(remote.StateDirectory, name + ".sqlite");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
