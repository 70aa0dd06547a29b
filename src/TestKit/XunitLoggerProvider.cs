using System.Globalization;
using Decentral.Simulation;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Decentral.TestKit;

/// <summary>Writes log lines to the test's output (shown by xunit with a failing test), stamped with virtual time under a simulation.</summary>
public sealed class XunitLoggerProvider(ITestOutputHelper output, Func<Simulator?> simulation, LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new XunitLogger(this, categoryName);

    public void Dispose()
    {
    }

    internal void Write(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; late lines from background actors have nowhere to go.
        }
    }

    private sealed class XunitLogger(XunitLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var sim = provider.CurrentSimulation();
            var stamp = sim is null
                ? DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)
                : "t=" + sim.Now.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
            var line = $"[{stamp} {logLevel}] {category}: {formatter(state, exception)}";
            provider.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }

    private LogLevel Minimum => minimum;

    private Simulator? CurrentSimulation() => simulation();
}
