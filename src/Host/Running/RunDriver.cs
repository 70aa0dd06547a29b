using System.Globalization;
using Decentral.Configuration;
using Decentral.Nodes.Metrics;
using Decentral.Nodes.Runtime;
using Decentral.Simulation;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Decentral.Host.Running;

/// <summary>Runs a configured cluster (real time or simulated), shows progress, prints the result.</summary>
internal static class RunDriver
{
    /// <summary>Virtual-time budget of a simulation; a run that needs more is reported as not completed.</summary>
    public static readonly TimeSpan MaxVirtualTime = TimeSpan.FromHours(24);

    public static async Task<int> ExecuteAsync(
        ConfiguredRun configured, bool simulate, bool json, string? metricsPath, TimeSpan timeout, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        using var sink = OpenSink(metricsPath);
        // Disposed after the runtime (declared first): the runtime's shutdown still runs on the simulator.
        using var simulator = simulate ? new Simulator(unchecked((long)configured.Spec.Seed)) : null;
        using var runtime = simulator is not null
            ? SimulatedClusters.Create(configured.Spec, simulator, NullLoggerFactory.Instance)
            : new ClusterRuntime(configured.Spec, RealTimeHost.For(configured.Spec), NullLoggerFactory.Instance);
        runtime.SetMetricsSink(sink);
        var interactive = !json && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var progress = new RunProgress(runtime, json ? stderr : stdout);
        if (!json)
        {
            stdout.WriteLine($"decentral {(simulate ? "simulate" : "run")}: {configured.Summary()}");
        }

        bool completed;
        if (interactive)
        {
            completed = false;
            await AnsiConsole.Live(progress.View()).StartAsync(async live =>
            {
                completed = await Drive(runtime, simulate, timeout, () => live.UpdateTarget(progress.View()), cancellation).ConfigureAwait(false);
                live.UpdateTarget(progress.View());
            }).ConfigureAwait(false);
        }
        else
        {
            completed = await Drive(runtime, simulate, timeout, () => progress.MaybeWriteLine(), cancellation).ConfigureAwait(false);
            progress.MaybeWriteLine(force: true);
        }

        var summary = runtime.Summarize(completed);
        sink?.Flush();
        if (json)
        {
            stdout.WriteLine(RunReport.Json(summary));
        }
        else
        {
            var terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(stdout),
                Interactive = InteractionSupport.No,
                Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            });
            RunReport.Table(console, summary, runtime.Snapshot());
            if (metricsPath is not null)
            {
                stdout.WriteLine($"metrics written to {metricsPath}");
            }
        }
        var layout = runtime.Spec.Layout;
        if (runtime.Divergences is { Count: > 0 } divergences)
        {
            var d = divergences[0];
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"decentral: the model of {layout.Name(layout.ProcessAt(d.Node))} diverged in iteration {d.Iteration} (non-finite or beyond 1e100 after a step with η = {d.StepSize:g4}): the step size is too large for this objective; lower decentral.sgd.learning-rate."));
            return 1;
        }
        if (runtime.InvariantViolations is { Count: > 0 } violations)
        {
            foreach (var v in violations)
            {
                stderr.WriteLine($"decentral: invariant {v.Invariant} violated at node {layout.Name(layout.ProcessAt(v.Node))}: {v.Detail}");
            }
            return 1;
        }
        if (summary.Failures.Count > 0)
        {
            foreach (var f in summary.Failures)
            {
                stderr.WriteLine($"decentral: node {f.Node} stopped (the others went on): {f.Error}");
            }
            return 1;
        }
        if (!completed)
        {
            stderr.WriteLine(cancellation.IsCancellationRequested
                ? "decentral: interrupted before every live node finished."
                : $"decentral: not every live node finished within {(simulate ? MaxVirtualTime : timeout)} (a partition never healed, or a quorum is down).");
            return 1;
        }
        return 0;
    }

    private static async Task<bool> Drive(ClusterRuntime runtime, bool simulate, TimeSpan timeout, Action onProgress, CancellationToken cancellation)
    {
        if (simulate)
        {
            // Slices of virtual time, so progress shows and Ctrl-C is honoured between slices.
            var slice = TimeSpan.FromMilliseconds(100);
            while (!runtime.IsDone && !runtime.HasFailed && runtime.Elapsed < MaxVirtualTime && !cancellation.IsCancellationRequested)
            {
                runtime.RunSimulated(slice);
                onProgress();
            }
            return runtime.IsDone;
        }
        runtime.Start();
        var deadline = DateTime.UtcNow + timeout;
        while (!runtime.IsDone && !runtime.HasFailed && DateTime.UtcNow < deadline && !cancellation.IsCancellationRequested)
        {
            try
            {
                await runtime.RunAsync(TimeSpan.FromMilliseconds(250), cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            onProgress();
        }
        return runtime.IsDone;
    }

    private static IMetricsSink? OpenSink(string? path)
    {
        if (path is null)
        {
            return null;
        }
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => new CsvMetricsSink(full),
            ".jsonl" or ".ndjson" => new JsonLinesMetricsSink(full),
            _ => throw new ConfigurationException(new ConfigurationError("--metrics", null, $"'{path}' must end in .csv or .jsonl")),
        };
    }
}
