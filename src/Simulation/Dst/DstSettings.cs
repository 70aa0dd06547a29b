namespace Decentral.Simulation.Dst;

/// <summary>The fault kinds a campaign draws from (configuration key `dst.faults`).</summary>
[Flags]
public enum DstFaultKinds
{
    None = 0,

    /// <summary>Crash a minority (nodes or whole clusters) and restart it later; sometimes for good.</summary>
    Crash = 1,

    /// <summary>Crash everything but a minimal quorum of clusters, then restart it.</summary>
    CrashAllButQuorum = 2,

    /// <summary>Random halves, isolate one cluster, majority ring, asymmetric one-way.</summary>
    Partition = 4,

    /// <summary>Delay, drop, duplicate and reorder on some links.</summary>
    Link = 8,

    /// <summary>Hold every message on a link for a while (a large constant delay).</summary>
    Clog = 16,

    /// <summary>Corrupt or tear the newest checkpoint of a crashed node before it restarts.</summary>
    CheckpointDamage = 32,

    /// <summary>Some nodes compute several times slower than the rest.</summary>
    SlowNodes = 64,

    All = Crash | CrashAllButQuorum | Partition | Link | Clog | CheckpointDamage | SlowNodes,
}

/// <summary>
/// The distributions a campaign draws scenarios from. Defaults keep runs small (a few hundred
/// milliseconds of CPU each); a `--config FILE` may change them under `dst { … }` (read by the CLI,
/// so the simulation does not depend on the configuration parser).
/// </summary>
public sealed record DstSettings
{
    public static DstSettings Default { get; } = new();

    public int MaxClusters { get; init; } = 6;

    public int MaxClusterSize { get; init; } = 4;

    public int MinIterations { get; init; } = 20;

    public int MaxIterations { get; init; } = 60;

    public int MinDimension { get; init; } = 2;

    public int MaxDimension { get; init; } = 8;

    /// <summary>R is drawn from 1…MaxRounds.</summary>
    public int MaxRounds { get; init; } = 3;

    /// <summary>K is drawn from 1…MaxClusterRounds.</summary>
    public int MaxClusterRounds { get; init; } = 3;

    public int MinFinalRounds { get; init; } = 8;

    public int MaxFinalRounds { get; init; } = 16;

    /// <summary>Share of scenarios with the cluster-majority quorum instead of the process-majority one.</summary>
    public double ClustersQuorumShare { get; init; } = 0.2;

    /// <summary>Fault episodes per scenario are drawn from 0…MaxEpisodes.</summary>
    public int MaxEpisodes { get; init; } = 4;

    public DstFaultKinds Faults { get; init; } = DstFaultKinds.All;

    /// <summary>ε of the liveness invariant's ε-agreement, relative to 1 + ‖x̄‖∞.</summary>
    public double Epsilon { get; init; } = 1e-2;

    public void Validate()
    {
        Range(MaxClusters, 1, 64, nameof(MaxClusters));
        Range(MaxClusterSize, 1, 64, nameof(MaxClusterSize));
        Range(MinIterations, 1, 100_000, nameof(MinIterations));
        Range(MaxIterations, MinIterations, 100_000, nameof(MaxIterations));
        Range(MinDimension, 1, 10_000, nameof(MinDimension));
        Range(MaxDimension, MinDimension, 10_000, nameof(MaxDimension));
        Range(MaxRounds, 1, 100, nameof(MaxRounds));
        Range(MaxClusterRounds, 1, 100, nameof(MaxClusterRounds));
        Range(MinFinalRounds, 0, 1_000, nameof(MinFinalRounds));
        Range(MaxFinalRounds, MinFinalRounds, 1_000, nameof(MaxFinalRounds));
        Range(MaxEpisodes, 0, 100, nameof(MaxEpisodes));
        if (!(ClustersQuorumShare >= 0 && ClustersQuorumShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ClustersQuorumShare), ClustersQuorumShare, "A share lies in [0, 1].");
        }
        if (!(Epsilon > 0 && double.IsFinite(Epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "ε must be positive and finite.");
        }
    }

    /// <summary>The configuration names of the fault kinds, e.g. "crash-all-but-quorum".</summary>
    public static IReadOnlyDictionary<string, DstFaultKinds> FaultNames { get; } = new Dictionary<string, DstFaultKinds>(StringComparer.OrdinalIgnoreCase)
    {
        ["crash"] = DstFaultKinds.Crash,
        ["crash-all-but-quorum"] = DstFaultKinds.CrashAllButQuorum,
        ["partition"] = DstFaultKinds.Partition,
        ["link"] = DstFaultKinds.Link,
        ["clog"] = DstFaultKinds.Clog,
        ["checkpoint-damage"] = DstFaultKinds.CheckpointDamage,
        ["slow-nodes"] = DstFaultKinds.SlowNodes,
    };

    public static DstFaultKinds ParseFaults(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var kinds = DstFaultKinds.None;
        foreach (var name in names)
        {
            if (!FaultNames.TryGetValue(name.Trim(), out var k))
            {
                throw new ArgumentException($"Unknown fault kind '{name}'; expected {string.Join(", ", FaultNames.Keys)}.", nameof(names));
            }
            kinds |= k;
        }
        return kinds;
    }

    private static void Range(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in {min}…{max}.");
        }
    }
}
