using Decentral.Nodes.Runtime;

namespace Decentral.Simulation;

/// <summary>
/// The Akka settings every simulated system gets. Each point closes a door to the thread pool or
/// the wall clock: all dispatchers (default, internal, blocking I/O) are the simulation's; the
/// scheduler is the simulator's; logging goes through a synchronous minimal logger (the default
/// logger actor would block start-up waiting for a reply nobody pumps); shutdown never hooks the
/// process exit.
/// </summary>
internal static class SimulationConfig
{
    public static string Render(string simulatorId, string logLevel)
    {
        var dispatcher = $$"""
            {
              type = "{{typeof(SimulationDispatcherConfigurator).AssemblyQualifiedNameShort()}}"
              throughput = 1
            }
            """;
        return $$"""
            decentral.simulation.id = "{{simulatorId}}"
            akka {
              scheduler.implementation = "{{typeof(SimulationScheduler).AssemblyQualifiedNameShort()}}"
              actor {
                default-dispatcher = {{dispatcher}}
                internal-dispatcher = {{dispatcher}}
                default-blocking-io-dispatcher = {{dispatcher}}
                default-mailbox.mailbox-type = "{{typeof(SimulationMailboxType).AssemblyQualifiedNameShort()}}"
              }
            }
            {{AkkaConfig.Common(logLevel)}}
            """;
    }

    private static string AssemblyQualifiedNameShort(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
