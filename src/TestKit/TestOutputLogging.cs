using Akka.Actor;
using Akka.Event;
using Xunit.Abstractions;

namespace Decentral.TestKit;

/// <summary>Puts <see cref="LevelFilteredTestOutput"/> in place of Akka.TestKit.Xunit2's output logger.</summary>
internal static class TestOutputLogging
{
    /// <summary>The name Akka.TestKit.Xunit2 gives its output logger (a system actor).</summary>
    private const string XunitLoggerName = "log-test";

    /// <summary>How long the test kit's start waits for Akka.TestKit.Xunit2's logger (Akka's own bound is 3 s too).</summary>
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Replaces Akka.TestKit.Xunit2's output logger of <paramref name="system"/> with a level-filtered one.</summary>
    public static void Install(ActorSystem system, ITestOutputHelper output)
    {
        var extended = (ExtendedActorSystem)system;
        var provider = extended.Provider;
        // Akka.TestKit.Xunit2 tells its logger to subscribe, asynchronously: an Identify queued behind that
        // message is answered once it has subscribed, and then it is unsubscribed (stopping it instead would
        // send the subscription order to dead letters, a line in the output at INFO).
        var xunitLogger = provider.SystemGuardian.GetChild([XunitLoggerName]);
        if (!xunitLogger.IsNobody())
        {
            xunitLogger.Ask<ActorIdentity>(new Identify(null), StartupTimeout).GetAwaiter().GetResult();
            system.EventStream.Unsubscribe(xunitLogger);
        }
        var minimum = Logging.LogLevelFor(system.Settings.LogLevel);
        var logger = extended.SystemActorOf(Props.Create(() => new LevelFilteredTestOutput(output, minimum)), "decentral-test-output");
        system.EventStream.Subscribe(logger, typeof(LogEvent));
    }
}
