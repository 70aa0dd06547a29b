namespace Decentral.Nodes.Runtime;

/// <summary>
/// The Akka settings Decentral's actor systems share, as HOCON handed to Akka (Decentral reads user
/// files with its own parser; Akka only ever sees configuration rendered here).
/// </summary>
public static class AkkaConfig
{
    /// <summary>Logging, dead letters and shutdown, for simulated and real systems alike.</summary>
    public static string Common(string logLevel = "WARNING")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logLevel);
        var logger = $"{typeof(StderrLogger).FullName}, {typeof(StderrLogger).Assembly.GetName().Name}";
        return $$"""
            akka {
              loglevel = {{logLevel}}
              stdout-loglevel = {{logLevel}}
              loggers = ["{{logger}}"]
              stdout-logger-class = "{{logger}}"
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              log-config-on-start = off
              coordinated-shutdown {
                run-by-clr-shutdown-hook = off
                exit-clr = off
              }
            }
            """;
    }

    /// <summary>A real-time system of one process (thread pool, Akka's own scheduler).</summary>
    public static string RealTime(string logLevel = "WARNING") => Common(logLevel);
}
