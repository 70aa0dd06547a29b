using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>
/// Log lines to a <see cref="TextWriter"/> (a node's log file, or stderr), one per entry, with time,
/// level and category. Framework chatter below Warning is left out.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) =>
        new Logger(this, categoryName, categoryName.StartsWith("Microsoft.", StringComparison.Ordinal) ? LogLevel.Warning : minimum);

    /// <summary>Flushes; the writer belongs to the caller (several logger factories may share this provider).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                writer.Flush();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {Short(level)} {category}: {message}");
        lock (_gate)
        {
            try
            {
                writer.WriteLine(line);
                if (exception is not null)
                {
                    writer.WriteLine(exception.ToString());
                }

                writer.Flush();
            }
            catch (ObjectDisposedException)
            {
                // A late line (a background loop stopping) after the log file closed: nowhere to write it.
            }
        }
    }

    private static string Short(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class Logger(TextWriterLoggerProvider provider, string category, LogLevel minimumLevel) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
