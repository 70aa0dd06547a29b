using System.Globalization;

namespace Decentral.Simulation.Dst;

/// <summary>How the fault driver damages a crashed node's newest checkpoint before restarting it.</summary>
public enum CheckpointDamage
{
    None,

    /// <summary>One bit flipped (bit rot): the checksum no longer matches.</summary>
    Corrupt,

    /// <summary>Cut short, as a crash in the middle of writing it would leave it.</summary>
    Torn,
}

/// <summary>
/// One fault of a scenario: it starts once some node has completed iteration <see cref="AtFrontier"/>
/// (or, if progress stalls, a while after the previous fault of its track ended) and is undone after
/// <see cref="Duration"/> of virtual time. Crash episodes and network episodes form two tracks that may
/// overlap each other; within a track episodes follow one another.
/// </summary>
public abstract record FaultEpisode(int AtFrontier, TimeSpan Duration)
{
    /// <summary>Crashes are one track, network faults the other.</summary>
    public abstract bool IsCrash { get; }

    public abstract string Describe();

    public sealed override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"at iteration {AtFrontier} for {Duration.TotalMilliseconds:0.###} ms: {Describe()}");
}

/// <summary>
/// Crashes <paramref name="Targets"/> (cluster names "c2" or node names "c2/n1"). Unless
/// <paramref name="Permanent"/>, restarts them after the duration, first damaging the newest
/// checkpoint of the nodes listed in <paramref name="Damage"/>.
/// </summary>
public sealed record CrashEpisode(
    int AtFrontier,
    TimeSpan Duration,
    string Kind,
    IReadOnlyList<string> Targets,
    IReadOnlyList<(string Node, CheckpointDamage Damage)> Damage,
    bool Permanent) : FaultEpisode(AtFrontier, Duration)
{
    public override bool IsCrash => true;

    public override string Describe()
    {
        var damage = Damage.Count == 0 ? string.Empty : "; damage " + string.Join(", ", Damage.Select(d => $"{d.Node}:{d.Damage.ToString().ToLowerInvariant()}"));
        return $"crash {Kind} {string.Join(",", Targets)}{(Permanent ? " for good" : string.Empty)}{damage}";
    }
}

/// <summary>A directed link between clusters (0-based indices).</summary>
public readonly record struct Link(int From, int To)
{
    public override string ToString() => $"c{From + 1}->c{To + 1}";
}

/// <summary>Blocks the listed directed links (a partition of some shape: halves, isolate one, majority ring, one-way).</summary>
public sealed record PartitionEpisode(int AtFrontier, TimeSpan Duration, string Kind, IReadOnlyList<Link> Blocked)
    : FaultEpisode(AtFrontier, Duration)
{
    public override bool IsCrash => false;

    public override string Describe() => $"partition {Kind}: block {string.Join(" ", Blocked)}";
}

/// <summary>What a link episode does to each of its links.</summary>
public sealed record LinkTrouble(
    TimeSpan? DelayMean,
    bool ExponentialDelay,
    double Drop,
    double Duplicate,
    double Reorder,
    TimeSpan ReorderMaxDelay)
{
    public override string ToString()
    {
        var parts = new List<string>();
        if (DelayMean is { } d)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"delay {(ExponentialDelay ? "exp" : "uniform")} mean {d.TotalMilliseconds:0.###} ms"));
        }
        if (Drop > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"drop {Drop:0.##}"));
        }
        if (Duplicate > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"duplicate {Duplicate:0.##}"));
        }
        if (Reorder > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"reorder {Reorder:0.##} within {ReorderMaxDelay.TotalMilliseconds:0.###} ms"));
        }
        return string.Join(", ", parts);
    }
}

/// <summary>Degrades the listed directed links: delay, drop, duplicate, reorder.</summary>
public sealed record LinkEpisode(int AtFrontier, TimeSpan Duration, IReadOnlyList<Link> Links, LinkTrouble Trouble)
    : FaultEpisode(AtFrontier, Duration)
{
    public override bool IsCrash => false;

    public override string Describe() => $"links {string.Join(" ", Links)}: {Trouble}";
}

/// <summary>Clogs the listed directed links: every message sent on them is held for <paramref name="Hold"/> (FIFO kept).</summary>
public sealed record ClogEpisode(int AtFrontier, TimeSpan Duration, IReadOnlyList<Link> Links, TimeSpan Hold)
    : FaultEpisode(AtFrontier, Duration)
{
    public override bool IsCrash => false;

    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"clog {string.Join(" ", Links)}: hold {Hold.TotalMilliseconds:0.###} ms");
}
