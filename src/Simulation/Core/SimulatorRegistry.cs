using System.Collections.Concurrent;

namespace Decentral.Simulation;

/// <summary>
/// Akka builds its scheduler from configuration alone, so a simulator registers itself under an id
/// that its systems' configuration carries; the scheduler looks it up there.
/// </summary>
internal static class SimulatorRegistry
{
    private static readonly ConcurrentDictionary<string, WeakReference<Simulator>> Simulators = new(StringComparer.Ordinal);
    private static long next;

    public static string Register(Simulator simulator)
    {
        var id = "sim-" + Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Simulators[id] = new WeakReference<Simulator>(simulator);
        return id;
    }

    public static void Unregister(string id) => Simulators.TryRemove(id, out _);

    public static Simulator Get(string id) =>
        Simulators.TryGetValue(id, out var weak) && weak.TryGetTarget(out var simulator)
            ? simulator
            : throw new InvalidOperationException(
                $"No simulator registered as '{id}': simulated actor systems must be created through Simulator.CreateSystem.");
}
