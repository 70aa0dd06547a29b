using Decentral.Agreement;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// The messages a node holds for its current and later stages: per stage the first vector of each
/// distinct sender and an incremental quorum tracker. Bounded: at most <see cref="Capacity"/> stages;
/// when full, the lowest stage above the one the node works on is evicted, because the newest
/// stages are the ones a lagging node can skip to and the current one is the one it completes next.
/// </summary>
internal sealed class StageBuffer
{
    private readonly SortedDictionary<Stage, Entry> entries = new();
    private readonly ClusterLayout layout;
    private readonly QuorumRule rule;
    private readonly bool quorumOneShort;
    private Stage floor;

    public StageBuffer(ClusterLayout layout, QuorumRule rule, int capacity, bool quorumOneShort = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        this.layout = layout;
        this.rule = rule;
        this.quorumOneShort = quorumOneShort;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Stages currently buffered (for the bounded-buffer invariant).</summary>
    public int Count => entries.Count;

    /// <summary>Messages evicted because the buffer was full.</summary>
    public long Evicted { get; private set; }

    /// <summary>Lowest stage kept; anything older is stale.</summary>
    public Stage Floor => floor;

    public AddResult Add(ProtocolMessage message)
    {
        if (message.Stage < floor)
        {
            return AddResult.Stale;
        }
        if (!entries.TryGetValue(message.Stage, out var entry))
        {
            if (entries.Count >= Capacity && !EvictFor(message.Stage))
            {
                Evicted++;
                return AddResult.Evicted;
            }
            entry = new Entry(rule.CreateTracker(layout));
            entries.Add(message.Stage, entry);
        }
        if (!entry.Tracker.Add(layout.ProcessAt(message.Sender)))
        {
            return AddResult.Duplicate;
        }
        entry.Senders.Add(message.Sender);
        entry.Values.Add(message.Vector);
        if (quorumOneShort)
        {
            (entry.CoveredProcesses, entry.CoveredClusters) = Coverage(entry.Senders);
        }
        return AddResult.Added;
    }

    /// <summary>The highest buffered stage ≥ <paramref name="atLeast"/> that holds a quorum.</summary>
    public bool TryHighestQuorum(Stage atLeast, out Stage stage)
    {
        stage = default;
        var found = false;
        foreach (var (s, entry) in entries)
        {
            if (s >= atLeast && HasQuorum(entry))
            {
                stage = s;
                found = true;
            }
        }
        return found;
    }

    /// <summary>Mutant support: the highest buffered stage ≥ <paramref name="atLeast"/> holding any message.</summary>
    public bool TryHighestAny(Stage atLeast, out Stage stage)
    {
        stage = default;
        var found = false;
        foreach (var s in entries.Keys)
        {
            if (s >= atLeast)
            {
                stage = s;
                found = true;
            }
        }
        return found;
    }

    public bool HasQuorum(Stage stage) => entries.TryGetValue(stage, out var e) && HasQuorum(e);

    /// <summary>Senders (global indices) and their vectors for <paramref name="stage"/>, in arrival order.</summary>
    public (IReadOnlyList<int> Senders, IReadOnlyList<double[]> Values) Get(Stage stage)
    {
        var e = entries[stage];
        return (e.Senders, e.Values);
    }

    /// <summary>Drops every stage below <paramref name="stage"/>; later messages for them are stale.</summary>
    public void AdvanceFloor(Stage stage)
    {
        if (stage <= floor)
        {
            return;
        }
        floor = stage;
        while (entries.Count > 0)
        {
            var first = entries.Keys.First();
            if (first >= floor)
            {
                break;
            }
            entries.Remove(first);
        }
    }

    private bool HasQuorum(Entry e)
    {
        if (e.Tracker.IsQuorum)
        {
            return true;
        }
        // Mutant for simulation testing: accept one process fewer than a quorum needs.
        return quorumOneShort && rule.Kind switch
        {
            QuorumKind.Processes => 2L * (e.CoveredProcesses + 1) > layout.N,
            QuorumKind.Clusters => 2 * (e.CoveredClusters + 1) > layout.ClusterCount,
            _ => e.Senders.Count + 1 >= rule.Count,
        };
    }

    private (int Processes, int Clusters) Coverage(List<int> senders)
    {
        var seen = new bool[layout.ClusterCount];
        int processes = 0, clusters = 0;
        foreach (var s in senders)
        {
            var c = layout.ProcessAt(s).Cluster;
            if (!seen[c])
            {
                seen[c] = true;
                processes += layout.SizeOf(c);
                clusters++;
            }
        }
        return (processes, clusters);
    }

    private bool EvictFor(Stage incoming)
    {
        // Keep the floor stage (the one being completed); evict the lowest stage above it, unless the
        // incoming stage is itself lower than everything evictable.
        Stage? victim = null;
        foreach (var s in entries.Keys)
        {
            if (s > floor)
            {
                victim = s;
                break;
            }
        }
        if (victim is null || incoming < victim.Value)
        {
            return false;
        }
        entries.Remove(victim.Value);
        Evicted++;
        return true;
    }

    private sealed class Entry(QuorumTracker tracker)
    {
        public QuorumTracker Tracker { get; } = tracker;

        public List<int> Senders { get; } = [];

        public List<double[]> Values { get; } = [];

        // Maintained only for the quorum-one-short mutant.
        public int CoveredProcesses { get; set; }

        public int CoveredClusters { get; set; }
    }
}

internal enum AddResult
{
    Added,
    Duplicate,
    Stale,
    Evicted,
}
