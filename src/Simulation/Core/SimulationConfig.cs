using Decentral.Nodes.Runtime;

namespace Decentral.Simulation;

/// <summary>
/// The Akka settings every simulated system gets: the embedded <c>akka-simulation.conf</c> (dispatchers,
/// scheduler and mailboxes of the simulation; why each, it says) over the common settings, and the
/// simulator's id computed on top.
/// </summary>
internal static class SimulationConfig
{
    public static AkkaSettings Settings(string simulatorId, string logLevel) =>
        AkkaSettings.Common(logLevel)
            .WithResource(typeof(SimulationConfig).Assembly, "akka-simulation.conf")
            .Set("decentral.simulation.id", simulatorId);
}
