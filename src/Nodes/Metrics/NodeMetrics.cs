namespace Decentral.Nodes.Metrics;

/// <summary>
/// One node's measurements at the end of one iteration. Counters are cumulative since the node's
/// (re)start, except <see cref="MessagesDropped"/> (since the run started); Loss and
/// GradientNormSquared are f and ‖∇f‖² at the node's model (NaN when not measured this iteration, to
/// keep measuring optional on large data). <see cref="ModelBytesSent"/> and
/// <see cref="ModelBytesReceived"/> are 8 bytes per coordinate of each model or agreement value the node
/// sent or received, counted per message: the payload as float64. Within one process nothing is
/// serialized; the bytes on the wire between processes are counted by the transport (<c>status</c>).
/// <see cref="MessagesDropped"/> counts the node's messages the fault layer dropped (blackholes, random drops).
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
    long ModelBytesSent,
    long ModelBytesReceived,
    TimeSpan WallTime,
    TimeSpan VirtualTime)
{
    /// <summary>Column order of the CSV and JSON-lines sinks.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "node", "iteration", "loss", "grad_norm_sq", "iterations_skipped", "rounds_skipped",
        "messages_sent", "messages_received", "messages_dropped", "model_bytes_sent", "model_bytes_received",
        "wall_seconds", "virtual_seconds",
    ];
}
