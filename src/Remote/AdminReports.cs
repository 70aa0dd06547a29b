using System.Text.Json;
using System.Text.Json.Serialization;
using Decentral.Nodes.Wire;
using Decentral.Nodes.Runtime;

namespace Decentral.Remote;

/// <summary>
/// GET /status of one process: its cluster's nodes, their agreement, its Akka address and incarnation
/// (the actor system's uid), its peers' associations, the serializer's and the fault layer's counters,
/// and the <c>--set</c> overrides it was started with (a restarted peer must run the same configuration);
/// <see cref="Membership"/> is the Akka.Cluster view of this process (member status and reachability of
/// every member as this process sees it).
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
    RemoteTransportCounters Transport,
    FaultLayerCounters Faults,
    long CodecRejections,
    IReadOnlyList<string> Overrides,
    MembershipReport? Membership = null);

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
/// One peer cluster as Akka.Remote sees it from here: the association's state (connected, disconnected,
/// failed: gated and retried on the next send, idle: never needed yet), who opened it ("here", "peer"),
/// the faults this process injects on its link to the peer, the last association error, and the outbox
/// that bounds what this process has in flight to the peer (<see cref="PeerOutboxes"/>; null before the first model).
/// </summary>
public sealed record PeerStatusReport(string Cluster, string Address, string Link, string Faults, string? LastError, string? DialedBy, long Errors, OutboxCounters? Outbox = null);

/// <summary>
/// What crossed Akka.Remote through the protocol serializer: messages and bytes sent (encoded) and
/// received (decoded and valid), encodings that failed (not sent), received messages rejected (wrong
/// dimension, non-finite, unknown sender, bad stage, … per reason; dropped), and association errors.
/// With TLS (<see cref="Tls"/>): incoming connections refused because their TLS handshake failed (a wrong
/// or missing certificate, random bytes, plaintext) and peer certificates rejected by the pin (either
/// direction); nothing from a refused connection is delivered.
/// </summary>
public sealed record RemoteTransportCounters(
    long MessagesSent,
    long BytesSent,
    long MessagesReceived,
    long BytesReceived,
    long EncodeFailures,
    long Rejected,
    IReadOnlyDictionary<string, long> Rejections,
    long AssociationErrors,
    bool Tls = false,
    long ConnectionsRefused = 0,
    long CertificatesRejected = 0)
{
    public static RemoteTransportCounters From(WireCounters wire, long associationErrors, bool tls = false, long connectionsRefused = 0, long certificatesRejected = 0)
    {
        ArgumentNullException.ThrowIfNull(wire);
        return new(
            wire.MessagesEncoded, wire.BytesEncoded, wire.MessagesDecoded, wire.BytesDecoded, wire.EncodeFailures, wire.Rejected, wire.Rejections, associationErrors,
            tls, connectionsRefused, certificatesRejected);
    }
}

/// <summary>What the fault layer of this process did.</summary>
public sealed record FaultLayerCounters(long Sent, long Blackholed, long Dropped, long Delayed);

/// <summary>One process's end of run, written to its summary file and returned by GET /summary.</summary>
public sealed record ClusterSummaryReport(
    string Cluster,
    int Pid,
    bool Completed,
    RunSummary Summary,
    IReadOnlyList<NodeFinalReport> Nodes,
    RemoteTransportCounters Transport,
    MembershipReport? Membership = null);

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
