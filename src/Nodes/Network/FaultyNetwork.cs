using System.Collections.Concurrent;
using Decentral.Agreement;

namespace Decentral.Nodes.Network;

/// <summary>
/// The links between endpoints (a cluster's actor system, named like "c1"): every message between
/// two endpoints passes here, gets the configured one-way latency and, per directed link, may be
/// blackholed, dropped, duplicated, delayed or reordered. Each link has its own lock and its own
/// seeded generator (derived from the seed and the link's names), so there is no process-wide lock
/// per message and a simulated run stays a function of its seed. Messages inside one endpoint go
/// straight through. Counters say what the network did.
/// </summary>
public sealed partial class FaultyNetwork
{
    private readonly ConcurrentDictionary<(string From, string To), Link> links = new();
    private readonly List<string> endpoints = [];
    private readonly ulong seed;
    private long sent;
    private long dropped;
    private long duplicated;
    private long delayed;
    private long blackholed;
    private long reordered;

    public FaultyNetwork(INetworkClock clock, ulong seed, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        Clock = clock;
        this.seed = seed;
        Latency = latency;
    }

    public INetworkClock Clock { get; }

    /// <summary>One-way latency of every link between two different endpoints.</summary>
    public TimeSpan Latency { get; }

    public long SentCount => Interlocked.Read(ref sent);

    public long DroppedCount => Interlocked.Read(ref dropped);

    public long DuplicatedCount => Interlocked.Read(ref duplicated);

    public long DelayedCount => Interlocked.Read(ref delayed);

    public long BlackholedCount => Interlocked.Read(ref blackholed);

    public long ReorderedCount => Interlocked.Read(ref reordered);

    /// <summary>The endpoints faults may name.</summary>
    public IReadOnlyList<string> Endpoints
    {
        get
        {
            lock (endpoints)
            {
                return [.. endpoints];
            }
        }
    }

    public void AddEndpoint(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (endpoints)
        {
            if (!endpoints.Contains(name))
            {
                endpoints.Add(name);
            }
        }
    }

    /// <summary>
    /// Carries one message from <paramref name="from"/> to <paramref name="to"/>; <paramref name="deliver"/>
    /// hands it to the recipient when (and if) it arrives. Never throws for a faulty link: it drops and counts.
    /// Returns false when the fault layer dropped the message (a blackhole or a random drop).
    /// </summary>
    public bool Send(string from, string to, Action deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        Interlocked.Increment(ref sent);
        if (string.Equals(from, to, StringComparison.Ordinal))
        {
            deliver();
            return true;
        }

        var link = LinkOf(from, to);
        var faults = link.Faults;
        if (faults.IsHealthy && Latency == TimeSpan.Zero && Volatile.Read(ref link.InFlight) == 0)
        {
            deliver();
            return true;
        }

        lock (link)
        {
            faults = link.Faults;
            if (faults.Blackholed)
            {
                Interlocked.Increment(ref blackholed);
                return false;
            }

            if (link.Random.Chance(faults.DropProbability))
            {
                Interlocked.Increment(ref dropped);
                return false;
            }

            var copies = 1;
            if (link.Random.Chance(faults.DuplicateProbability))
            {
                Interlocked.Increment(ref duplicated);
                copies = 2;
            }

            for (var i = 0; i < copies; i++)
            {
                Forward(link, faults, deliver);
            }
        }

        return true;
    }

    private void Forward(Link link, LinkFaults faults, Action deliver)
    {
        var extra = faults.Delay?.Sample(link.Random) ?? TimeSpan.Zero;
        if (extra > TimeSpan.Zero)
        {
            Interlocked.Increment(ref delayed);
        }

        if (faults.ReorderMaxDelay > TimeSpan.Zero && link.Random.Chance(faults.ReorderProbability))
        {
            // Leaves the link's FIFO on purpose: a random extra delay lets later messages overtake it.
            Interlocked.Increment(ref reordered);
            Clock.Schedule(Latency + extra + (faults.ReorderMaxDelay * link.Random.NextDouble()), deliver);
            return;
        }

        var now = Clock.Now;
        var due = now + Latency + extra;
        if (due < link.LastDue)
        {
            due = link.LastDue;
        }

        link.LastDue = due;
        if (due <= now && link.Line.Count == 0)
        {
            deliver();
            return;
        }

        var sequence = ++link.Sequence;
        link.Line.Enqueue((sequence, deliver));
        Interlocked.Increment(ref link.InFlight);
        Clock.Schedule(due - now, () => DeliverThrough(link, sequence));
    }

    /// <summary>Delivers every queued message up to <paramref name="sequence"/>, in order: FIFO even if timers fire out of order.</summary>
    private static void DeliverThrough(Link link, long sequence)
    {
        // Inside the lock: a delivery only enqueues into a mailbox, and two timers firing at once on
        // two threads must not hand their messages over out of order.
        lock (link)
        {
            while (link.Line.TryPeek(out var head) && head.Sequence <= sequence)
            {
                link.Line.Dequeue();
                Interlocked.Decrement(ref link.InFlight);
                head.Deliver();
            }
        }
    }

    private Link LinkOf(string from, string to) =>
        links.GetOrAdd((from, to), static (key, s) => new Link(new SeededRandom(SeededRandom.Derive(s, $"network/{key.From}->{key.To}"))), seed);

    private sealed class Link(SeededRandom random)
    {
        public int InFlight;

        public SeededRandom Random { get; } = random;

        public volatile LinkFaults Faults = LinkFaults.None;

        public Queue<(long Sequence, Action Deliver)> Line { get; } = new();

        public TimeSpan LastDue { get; set; }

        public long Sequence { get; set; }
    }
}
