using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Akka.Event;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// Akka's log events, synchronously, to standard error: stdout is reserved for a command's result
/// (e.g. <c>--json</c>), and a logger actor would block a simulated system's start-up.
/// Akka.Remote's lines about refused connections (a peer with the wrong certificate retries every few
/// seconds, each attempt several lines; random bytes or an idle flood at the port give an "Error caught
/// channel" line per connection) are rate-limited: the first of each kind per actor system and peer host
/// is written, then at most one a minute with the number left out.
/// </summary>
public sealed class StderrLogger : MinimalLogger
{
    /// <summary>How often a repeated TLS failure line of one kind is written again.</summary>
    public static readonly TimeSpan TlsLogInterval = TimeSpan.FromMinutes(1);

    private static readonly ConcurrentDictionary<string, (long Last, long Suppressed)> TlsLines = new(StringComparer.Ordinal);

    private static readonly string[] TlsKinds =
    [
        "Certificate pinning failed", "TLS handshake failed", "Rejected incoming connection", "Cannot build a TLS connection",
        "TLS exception on channel", "Error caught channel", "Mutual TLS required",
    ];

    /// <summary>Kinds that are about a refused connection whatever their wording (the others must mention TLS).</summary>
    private static readonly string[] AnyConnectionKinds = ["Error caught channel", "TLS exception on channel", "Mutual TLS required"];

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
            var text = e.Message?.ToString() ?? "";
            var suffix = "";
            if (TlsKind(e, text) is { } kind)
            {
                if (!AllowTlsLine(kind, out var suppressed))
                {
                    return;
                }

                suffix = suppressed > 0 ? string.Create(CultureInfo.InvariantCulture, $" [{suppressed} similar lines left out in the last minute]") : "";
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{level}] {e.LogSource}: {text}{suffix}"));
        }
    }

    /// <summary>The rate-limit key of an Akka.Remote TLS failure line (kind and actor system), or null.</summary>
    private static string? TlsKind(LogEvent e, string text)
    {
        if (e.LogLevel() is not (LogLevel.ErrorLevel or LogLevel.WarningLevel) || e.LogSource is not { } source || !source.StartsWith("Tcp", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var kind in TlsKinds)
        {
            if (text.StartsWith(kind, StringComparison.Ordinal)
                && (kind != "Rejected incoming connection" || text.Contains("TLS", StringComparison.Ordinal) || AnyConnectionKinds.Contains(kind)))
            {
                var system = source.IndexOf('(', StringComparison.Ordinal) is var open and >= 0 ? source[open..] : source;
                return kind + " " + system + " " + PeerHost(text);
            }
        }

        return null;
    }

    /// <summary>
    /// The remote host of Akka's "channel [local->remote](Id=…)" wording, without its port (each connection
    /// of one peer has another port), or "" when the line names none.
    /// </summary>
    public static string PeerHost(string text)
    {
        var arrow = text.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            var from = text.IndexOf("from [", StringComparison.Ordinal);
            if (from < 0)
            {
                return "";
            }

            var close = text.IndexOf(']', from + 6);
            return close < 0 ? "" : StripPort(text[(from + 6)..close]);
        }

        var end = text.IndexOf("](Id=", arrow, StringComparison.Ordinal);
        return end < 0 ? "" : StripPort(text[(arrow + 2)..end]);
    }

    private static string StripPort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && endpoint.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0 ? endpoint[..colon] : endpoint;
    }

    private static bool AllowTlsLine(string kind, out long suppressed)
    {
        var now = Stopwatch.GetTimestamp();
        var allowed = false;
        long left = 0;
        TlsLines.AddOrUpdate(
            kind,
            _ =>
            {
                allowed = true;
                return (now, 0);
            },
            (_, old) =>
            {
                if (Stopwatch.GetElapsedTime(old.Last, now) >= TlsLogInterval)
                {
                    allowed = true;
                    left = old.Suppressed;
                    return (now, 0);
                }

                allowed = false;
                return (old.Last, old.Suppressed + 1);
            });
        suppressed = left;
        return allowed;
    }
}
