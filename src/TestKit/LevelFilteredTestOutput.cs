using Akka.Actor;
using Akka.Event;
using Xunit.Abstractions;

namespace Decentral.TestKit;

/// <summary>
/// Akka's log events in the test output at the system's log level and above. Akka.TestKit.Xunit2's own
/// output logger shows every event on the bus, and some reach it below the configured level: Akka
/// publishes its shutdown lines directly, and the actor system's own logger decides it may log DEBUG
/// before the configured level is set (its shutdown line). This logger takes the xunit logger's place
/// (<see cref="TestOutputLogging.Install"/>) and drops them. It runs in the test kit's own actor system, never under the simulator.
/// </summary>
internal sealed class LevelFilteredTestOutput : ReceiveActor
{
    public LevelFilteredTestOutput(ITestOutputHelper output, LogLevel minimum)
    {
        Receive<LogEvent>(e =>
        {
            if (e.LogLevel() < minimum)
            {
                return;
            }
            try
            {
                output.WriteLine(e.ToString());
            }
            catch (InvalidOperationException)
            {
                // The test has finished: nowhere to write any more.
                Context.Stop(Self);
            }
        });
    }
}
