namespace Decentral.Nodes.Network;

/// <summary>The commands: what tests, fault schedules and the CLI call to break and heal links.</summary>
public sealed partial class FaultyNetwork
{
    /// <summary>The faults now configured on the directed link <paramref name="from"/> → <paramref name="to"/>.</summary>
    public LinkFaults GetLink(string from, string to)
    {
        EnsureKnown(from, nameof(from));
        EnsureKnown(to, nameof(to));
        return links.TryGetValue((from, to), out var link) ? link.Faults : LinkFaults.None;
    }

    public void Blackhole(string a, string b, LinkDirection direction = LinkDirection.Both) =>
        Update(a, b, direction, l => l with { Blackholed = true });

    /// <summary>Clears every fault on the link(s): blackhole, drops, duplicates, delay, reordering.</summary>
    public void PassThrough(string a, string b, LinkDirection direction = LinkDirection.Both) =>
        Update(a, b, direction, _ => LinkFaults.None);

    public void SetDropProbability(string a, string b, double probability, LinkDirection direction = LinkDirection.Both)
    {
        ValidateProbability(probability, nameof(probability));
        Update(a, b, direction, l => l with { DropProbability = probability });
    }

    public void SetDuplicateProbability(string a, string b, double probability, LinkDirection direction = LinkDirection.Both)
    {
        ValidateProbability(probability, nameof(probability));
        Update(a, b, direction, l => l with { DuplicateProbability = probability });
    }

    /// <summary>Adds a delay drawn from <paramref name="delay"/> (null: none) to each message; FIFO is kept.</summary>
    public void SetDelay(string a, string b, DelayDistribution? delay, LinkDirection direction = LinkDirection.Both) =>
        Update(a, b, direction, l => l with { Delay = delay });

    /// <summary>With probability <paramref name="probability"/> a message takes an extra uniform delay in [0, max] outside the FIFO.</summary>
    public void SetReorder(string a, string b, double probability, TimeSpan maxExtraDelay, LinkDirection direction = LinkDirection.Both)
    {
        ValidateProbability(probability, nameof(probability));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExtraDelay, TimeSpan.Zero);
        Update(a, b, direction, l => l with { ReorderProbability = probability, ReorderMaxDelay = maxExtraDelay });
    }

    /// <summary>Blackholes every link between endpoints in different groups, both ways. Endpoints in no group keep their links.</summary>
    public void Partition(params IReadOnlyCollection<string>[] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ValidateGroups(groups);
        for (var i = 0; i < groups.Length; i++)
        {
            for (var j = 0; j < groups.Length; j++)
            {
                if (i != j)
                {
                    PartitionOneWay(groups[i], groups[j]);
                }
            }
        }
    }

    /// <summary>The asymmetric partition: messages from <paramref name="from"/> to <paramref name="to"/> vanish, the other way works.</summary>
    public void PartitionOneWay(IReadOnlyCollection<string> from, IReadOnlyCollection<string> to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ValidateGroups([from, to]);
        foreach (var a in from)
        {
            foreach (var b in to)
            {
                Blackhole(a, b, LinkDirection.Send);
            }
        }
    }

    /// <summary>
    /// Every link back to pass-through: partitions, blackholes, drops, duplicates, delays and reordering all
    /// end, and what a delay or reordering still holds is delivered now (the state before the fault).
    /// </summary>
    public void Heal()
    {
        // In a fixed order: releasing held messages in the dictionary's (per-process, hash-seeded) order
        // would deliver them differently from one process to the next and break the replay of a seed.
        foreach (var link in links.OrderBy(l => l.Key.From, StringComparer.Ordinal).ThenBy(l => l.Key.To, StringComparer.Ordinal).Select(l => l.Value))
        {
            lock (link)
            {
                var holding = HoldsBack(link.Faults);
                link.Faults = LinkFaults.None;
                if (holding)
                {
                    Release(link);
                }
            }
        }
    }

    private void Update(string a, string b, LinkDirection direction, Func<LinkFaults, LinkFaults> change)
    {
        if (!Enum.IsDefined(direction))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction.");
        }

        EnsureKnown(a, nameof(a));
        EnsureKnown(b, nameof(b));
        if (direction != LinkDirection.Receive)
        {
            Set(a, b, change);
        }

        if (direction != LinkDirection.Send)
        {
            Set(b, a, change);
        }
    }

    private void Set(string from, string to, Func<LinkFaults, LinkFaults> change)
    {
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A link joins two different endpoints; '{from}' was named twice.", nameof(to));
        }

        var link = LinkOf(from, to);
        lock (link)
        {
            var before = link.Faults;
            var next = change(before);
            link.Faults = next.IsHealthy ? LinkFaults.None : next;

            // A delay or reordering that ends (pass-through, delay off) owes its held messages now.
            if (HoldsBack(before) && !HoldsBack(next))
            {
                Release(link);
            }
        }
    }

    private static bool HoldsBack(LinkFaults faults) => faults.Delay is not null || faults.ReorderMaxDelay > TimeSpan.Zero;

    private void ValidateGroups(IReadOnlyCollection<string>[] groups)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            ArgumentNullException.ThrowIfNull(group, nameof(groups));
            foreach (var name in group)
            {
                EnsureKnown(name, nameof(groups));
                if (!seen.Add(name))
                {
                    throw new ArgumentException($"'{name}' appears in more than one partition group.", nameof(groups));
                }
            }
        }
    }

    private void EnsureKnown(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        lock (endpoints)
        {
            if (!endpoints.Contains(name))
            {
                throw new ArgumentException($"Unknown endpoint '{name}'; known: {string.Join(", ", endpoints)}.", parameterName);
            }
        }
    }

    private static void ValidateProbability(double p, string parameterName)
    {
        if (double.IsNaN(p) || p < 0 || p > 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, p, "A probability lies in [0, 1].");
        }
    }
}
