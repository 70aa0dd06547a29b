using System.Text.Json;
using System.Text.Json.Serialization;
using Decentral.Actors;
using Decentral.Nodes.Runtime;

namespace Decentral.Host.Remote;

/// <summary>
/// GET /status of one process: its cluster's nodes, their agreement, its links and counters, and the
/// <c>--set</c> overrides it was started with (a restarted peer must run the same configuration).
/// </summary>
public sealed record ClusterStatusReport(
    string Cluster,
    int Pid,
    string Incarnation,
    string Address,
    double UptimeSeconds,
    int Frontier,
    int Iterations,
    bool Done,
    bool UntilShutdown,
    int? ParentPid,
    bool ShuttingDown,
    double? DiameterL2,
    double? DiameterCw,
    IReadOnlyList<NodeStatusReport> Nodes,
    IReadOnlyList<PeerStatusReport> Peers,
    TcpTransportCounters Transport,
    FaultLayerCounters Faults,
    long CodecRejections,
    IReadOnlyList<string> Overrides);

/// <summary>One node as the admin endpoint shows it; the start fields say how this process (re)started it.</summary>
public sealed record NodeStatusReport(
    string Name,
    int Iteration,
    int Round,
    bool Finished,
    bool Crashed,
    int Incarnation,
    long IterationsCompleted,
    long SkippedIterations,
    long MessagesSent,
    long MessagesReceived,
    bool FromCheckpoint,
    int StartIteration,
    int? FirstCompletedAfterStart);

/// <summary>
/// One peer cluster: the link's state and queue, who dialed the one connection between the two processes
/// ("here", "peer", null when there is none), connections accepted from the peer, and faults injected here.
/// </summary>
public sealed record PeerStatusReport(string Cluster, string Address, string Link, int Queued, int Inbound, string Faults, string? LastError, string? DialedBy = null);

/// <summary>What the fault layer of this process did.</summary>
public sealed record FaultLayerCounters(long Sent, long Blackholed, long Dropped, long Delayed);

/// <summary>One process's end of run, written to its summary file and returned by GET /summary.</summary>
public sealed record ClusterSummaryReport(
    string Cluster,
    int Pid,
    bool Completed,
    RunSummary Summary,
    IReadOnlyList<NodeFinalReport> Nodes,
    TcpTransportCounters Transport);

/// <summary>A node's final state; the model is included up to <see cref="AdminJson.MaxReportedDimension"/> values.</summary>
public sealed record NodeFinalReport(string Name, int Iteration, bool Finished, bool Crashed, double[]? Model);

/// <summary>The JSON shape every admin response and report file uses.</summary>
public static class AdminJson
{
    /// <summary>Final models larger than this are left out of summaries (a JSON array of 10⁶ numbers is no report).</summary>
    public const int MaxReportedDimension = 100_000;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>`up --json`: the keys of `run --json` (snake_case: wall_seconds, final.diameter_l2, …).</summary>
    public static JsonSerializerOptions RunShaped { get; } = new(Options)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
