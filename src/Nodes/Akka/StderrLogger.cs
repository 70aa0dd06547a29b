using System.Globalization;
using Akka.Event;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// Akka's log events, synchronously, to standard error: stdout is reserved for a command's result
/// (e.g. <c>--json</c>), and a logger actor would block a simulated system's start-up.
/// </summary>
public sealed class StderrLogger : MinimalLogger
{
    protected override void Log(object message)
    {
        if (message is LogEvent e)
        {
            var level = e.LogLevel() switch
            {
                LogLevel.ErrorLevel => "ERROR",
                LogLevel.WarningLevel => "WARNING",
                LogLevel.InfoLevel => "INFO",
                _ => "DEBUG",
            };
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{level}] {e.LogSource}: {e.Message}"));
        }
    }
}
