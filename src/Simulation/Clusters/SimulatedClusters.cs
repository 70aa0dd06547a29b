using Decentral.Nodes.Runtime;
using Microsoft.Extensions.Logging;

namespace Decentral.Simulation;

/// <summary>Cluster runtimes on the simulator: creation and driving in virtual time.</summary>
public static class SimulatedClusters
{
    /// <summary>A runtime whose systems live in <paramref name="simulator"/> (its seed drives network and interleavings).</summary>
    public static ClusterRuntime Create(ClusterRunSpec spec, Simulator simulator, ILoggerFactory? loggerFactory = null) =>
        new(spec, new SimulatedHost(simulator), loggerFactory);

    /// <summary>The simulator a simulated runtime runs on.</summary>
    public static Simulator SimulatorOf(ClusterRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return (runtime.Host as SimulatedHost)?.Simulator
            ?? throw new InvalidOperationException("This runtime runs in real time; use RunAsync.");
    }

    /// <summary>
    /// Runs until every live node finished or <paramref name="maxVirtualTime"/> passed, in slices of
    /// <paramref name="slice"/> virtual time, calling <paramref name="onSlice"/> after each.
    /// </summary>
    public static bool RunSimulated(this ClusterRuntime runtime, TimeSpan maxVirtualTime, Action? onSlice = null, TimeSpan? slice = null)
    {
        var simulator = SimulatorOf(runtime);
        if (runtime.Completion.IsCompleted is false && !runtime.IsStarted)
        {
            runtime.Start();
        }
        var step = slice ?? TimeSpan.FromMilliseconds(100);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero, nameof(slice));
        var deadline = simulator.Now + maxVirtualTime;
        while (!runtime.IsDone && simulator.Now < deadline)
        {
            var left = deadline - simulator.Now;
            simulator.RunUntil(() => runtime.IsDone, left < step ? left : step);
            onSlice?.Invoke();
        }
        return runtime.IsDone;
    }
}
