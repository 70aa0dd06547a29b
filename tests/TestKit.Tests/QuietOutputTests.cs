using Akka.Event;
using Xunit.Abstractions;

namespace Decentral.TestKit.Tests;

/// <summary>Akka's logging reaches the test output at WARNING and above unless the test asks for more.</summary>
public sealed class QuietOutputTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Theory]
    [InlineData(null, new[] { "warning" })]
    [InlineData("akka.loglevel = INFO", new[] { "info", "warning" })]
    [InlineData("akka.loglevel = DEBUG", new[] { "debug", "info", "warning" })]
    public void Only_lines_at_the_configured_level_reach_the_output(string? config, string[] expected)
    {
        var recorded = new RecordingOutput();
        using (var kit = new InnerKit(recorded, config))
        {
            // The actor system's own logger thinks DEBUG is on whatever the level (Akka decides it before reading the
            // configuration): the path of its shutdown lines. The marker comes last, so everything before it was handled.
            kit.Sys.Log.Debug("debug");
            kit.Sys.Log.Info("info");
            kit.Sys.Log.Warning("warning");
            kit.Sys.Log.Error("marker");
            AwaitCondition(() => recorded.Lines.Any(l => l.Contains("marker", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
            var seen = recorded.Lines.Select(l => l.Split(' ').Last()).Where(w => w is "debug" or "info" or "warning");
            Assert.Equal(expected, seen);
        }
        if (config is null)
        {
            // Nor the lines Akka logs while the system shuts down (CoordinatedShutdown's INFO, the DEBUG ones).
            Assert.DoesNotContain(recorded.Lines, l => l.StartsWith("[DEBUG]", StringComparison.Ordinal) || l.StartsWith("[INFO]", StringComparison.Ordinal));
        }
    }

    private sealed class InnerKit(ITestOutputHelper output, string? config) : DecentralTestKit(output, config);

    private sealed class RecordingOutput : ITestOutputHelper
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return [.. lines];
                }
            }
        }

        public void WriteLine(string message)
        {
            lock (lines)
            {
                lines.Add(message);
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
