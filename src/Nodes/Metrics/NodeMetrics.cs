namespace Decentral.Nodes.Metrics;

/// <summary>
/// One node's measurements at the end of one iteration. Counters are cumulative since the node's
/// (re)start; Loss and GradientNormSquared are f and ‖∇f‖² at the node's model (NaN when not measured
/// this iteration, to keep measuring optional on large data).
/// </summary>
public sealed record NodeMetrics(
    string Node,
    long Iteration,
    double Loss,
    double GradientNormSquared,
    long IterationsSkipped,
    long RoundsSkipped,
    long MessagesSent,
    long MessagesReceived,
    long MessagesDropped,
    long BytesSent,
    long BytesReceived,
    TimeSpan WallTime,
    TimeSpan VirtualTime)
{
    /// <summary>Column order of the CSV and JSON-lines sinks.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "node", "iteration", "loss", "grad_norm_sq", "iterations_skipped", "rounds_skipped",
        "messages_sent", "messages_received", "messages_dropped", "bytes_sent", "bytes_received",
        "wall_seconds", "virtual_seconds",
    ];
}
