using Decentral.Agreement;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Training;

namespace Decentral.Nodes.Runtime;

public enum CheckpointStoreKind
{
    /// <summary>Non-volatile memory of the process (survives simulated crashes, not real ones).</summary>
    Memory,

    /// <summary>SQLite file (WAL, synchronous=FULL): survives real process crashes.</summary>
    Sqlite,
}

/// <summary>A whole local run: layout, protocol, training, network, checkpoints, metrics and faults.</summary>
public sealed record ClusterRunSpec
{
    public const string DefaultClusterPrefix = "c";

    public required TrainingSpec Training { get; init; }

    public required ProtocolOptions Protocol { get; init; }

    public ClusterLayout Layout => Protocol.Layout;

    /// <summary>Cluster names; c1…cM when null.</summary>
    public IReadOnlyList<string>? ClusterNames { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>One-way network latency between clusters (simulated; added as a delay on real runs when non-zero).</summary>
    public TimeSpan NetworkLatency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How often a node stuck waiting for a quorum sends its latest message again.</summary>
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public CheckpointStoreKind CheckpointStore { get; init; } = CheckpointStoreKind.Memory;

    /// <summary>SQLite file for <see cref="CheckpointStoreKind.Sqlite"/>.</summary>
    public string? CheckpointPath { get; init; }

    public int CheckpointKeep { get; init; } = 3;

    /// <summary>Evaluate loss and ‖∇f‖² of each node's model every this many iterations (0 = only at the end).</summary>
    public int MetricsEvery { get; init; } = 10;

    public IReadOnlyList<ScheduledFault> Faults { get; init; } = [];

    /// <summary>
    /// The user's own Akka settings (HOCON text rooted at <c>akka</c>, from the configuration file's
    /// <c>akka { }</c> block) laid over Decentral's embedded defaults and under the values it computes
    /// (see <see cref="AkkaSettings"/>); real-time systems only — simulated systems keep the simulation's.
    /// </summary>
    public string? AkkaOverrides { get; init; }

    public string ClusterName(int cluster) =>
        ClusterNames is { } names ? names[cluster] : DefaultClusterPrefix + (cluster + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string NodeName(int globalIndex)
    {
        var p = Layout.ProcessAt(globalIndex);
        return ClusterName(p.Cluster) + "/n" + (p.Member + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Validate()
    {
        Protocol.Validate();
        Training.Validate();
        if (ClusterNames is { } names)
        {
            if (names.Count != Layout.ClusterCount)
            {
                throw new ArgumentException($"{names.Count} cluster names for {Layout.ClusterCount} clusters.", nameof(ClusterNames));
            }
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Count || names.Any(n => string.IsNullOrWhiteSpace(n) || n.Contains('/', StringComparison.Ordinal)))
            {
                throw new ArgumentException("Cluster names must be distinct, non-empty and contain no '/'.", nameof(ClusterNames));
            }
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(NetworkLatency, TimeSpan.Zero, nameof(NetworkLatency));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ResendInterval, TimeSpan.Zero, nameof(ResendInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointKeep, 1, nameof(CheckpointKeep));
        ArgumentOutOfRangeException.ThrowIfNegative(MetricsEvery, nameof(MetricsEvery));
        if (CheckpointStore == CheckpointStoreKind.Sqlite && string.IsNullOrWhiteSpace(CheckpointPath))
        {
            throw new ArgumentException("A SQLite checkpoint store needs a path.", nameof(CheckpointPath));
        }
    }
}
