namespace Decentral.Actors;

/// <summary>The commands: what tests and the CLI call to break and heal links.</summary>
public sealed partial class FailureInjectorTransport
{
    /// <summary>The faults now configured on the directed link <paramref name="from"/> → <paramref name="to"/>.</summary>
    public LinkFaults GetLink(Address from, Address to)
    {
        lock (_gate)
        {
            return _links.GetValueOrDefault((from, to)) ?? LinkFaults.None;
        }
    }

    public void Blackhole(Address a, Address b, LinkDirection direction = LinkDirection.Both) =>
        Update(a, b, direction, l => l with { Blackholed = true });

    /// <summary>Clears every fault on the link(s): blackhole, drops, duplicates, delay, reordering.</summary>
    public void PassThrough(Address a, Address b, LinkDirection direction = LinkDirection.Both) =>
        Update(a, b, direction, _ => LinkFaults.None);

    public void SetDropProbability(Address a, Address b, double probability, LinkDirection direction = LinkDirection.Both)
    {
        ValidateProbability(probability, nameof(probability));
        Update(a, b, direction, l => l with { DropProbability = probability });
    }

    public void SetDuplicateProbability(Address a, Address b, double probability, LinkDirection direction = LinkDirection.Both)
    {
        ValidateProbability(probability, nameof(probability));
        Update(a, b, direction, l => l with { DuplicateProbability = probability });
    }

    /// <summary>Adds a delay drawn from <paramref name="delay"/> (null: none) to each envelope; FIFO is kept.</summary>
    public void SetDelay(Address a, Address b, DelayDistribution? delay, LinkDirection direction = LinkDirection.Both) =>
        Update(a, b, direction, l => l with { Delay = delay });

    /// <summary>With probability <paramref name="probability"/> an envelope takes an extra uniform delay in [0, max] outside the FIFO.</summary>
    public void SetReorder(Address a, Address b, double probability, TimeSpan maxExtraDelay, LinkDirection direction = LinkDirection.Both)
    {
        ValidateProbability(probability, nameof(probability));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExtraDelay, TimeSpan.Zero);
        Update(a, b, direction, l => l with { ReorderProbability = probability, ReorderMaxDelay = maxExtraDelay });
    }

    /// <summary>Blackholes every link between systems in different groups, both ways. Systems in no group keep their links.</summary>
    public void Partition(params IReadOnlyCollection<Address>[] groups)
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

    /// <summary>The asymmetric partition: envelopes from <paramref name="from"/> to <paramref name="to"/> vanish, the other way works.</summary>
    public void PartitionOneWay(IReadOnlyCollection<Address> from, IReadOnlyCollection<Address> to)
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

    /// <summary>Every link back to pass-through: partitions, blackholes, drops, duplicates, delays and reordering all end.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _links.Clear();
            _anyFaults = false;
        }
    }

    private void Update(Address a, Address b, LinkDirection direction, Func<LinkFaults, LinkFaults> change)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!Enum.IsDefined(direction))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction.");
        }

        lock (_gate)
        {
            EnsureKnown(a, nameof(a));
            EnsureKnown(b, nameof(b));
            if (direction != LinkDirection.Receive)
            {
                Set((a, b), change);
            }

            if (direction != LinkDirection.Send)
            {
                Set((b, a), change);
            }

            _anyFaults = _links.Count > 0;
        }
    }

    private void Set((Address, Address) key, Func<LinkFaults, LinkFaults> change)
    {
        var next = change(_links.GetValueOrDefault(key) ?? LinkFaults.None);
        if (next.IsHealthy)
        {
            _links.Remove(key);
        }
        else
        {
            _links[key] = next;
        }
    }

    private void ValidateGroups(IReadOnlyCollection<Address>[] groups)
    {
        var seen = new List<Address>();
        lock (_gate)
        {
            foreach (var group in groups)
            {
                ArgumentNullException.ThrowIfNull(group, nameof(groups));
                foreach (var address in group)
                {
                    EnsureKnown(address, nameof(groups));
                    if (seen.Contains(address))
                    {
                        throw new ArgumentException($"{address} appears in more than one partition group.", nameof(groups));
                    }

                    seen.Add(address);
                }
            }
        }
    }

    private void EnsureKnown(Address address, string parameterName)
    {
        if (!_known.Contains(address))
        {
            throw new ArgumentException(
                $"Unknown system address {address}; known: {string.Join(", ", _known)}.", parameterName);
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
