using Decentral.Configuration;
using Decentral.Nodes.Runtime;

namespace Decentral.Hosting;

/// <summary>
/// The run a host started: its configuration, its <see cref="ClusterRuntime"/> (nodes, faults,
/// status) and when it completes. Registered as a singleton by <see cref="DecentralHostingExtensions.AddDecentral"/>.
/// </summary>
public sealed class DecentralRun
{
    private readonly TaskCompletionSource<ClusterRuntime> started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The loaded and validated configuration (null until the actor system has started).</summary>
    public ConfiguredRun? Configuration { get; private set; }

    /// <summary>Completes with the runtime once the hosted actor system started it.</summary>
    public Task<ClusterRuntime> Started => started.Task;

    internal void Start(ConfiguredRun configuration, ClusterRuntime runtime)
    {
        Configuration = configuration;
        started.TrySetResult(runtime);
    }

    internal void Fail(Exception error) => started.TrySetException(error);

    /// <summary>Completes when every live node has finished (or crashed).</summary>
    public async Task<RunSummary> CompletionAsync(CancellationToken cancellationToken = default)
    {
        var runtime = await Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        await runtime.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        return runtime.Summarize(runtime.IsDone);
    }
}
