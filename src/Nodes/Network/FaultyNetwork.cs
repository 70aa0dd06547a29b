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
            // Leaves the link's FIFO on purpose: a random extra delay lets later messages overtake it. Kept
            // in the link's set of such messages, so that a heal can hand them over at once.
            Interlocked.Increment(ref reordered);
            var once = new Once(deliver);
            link.Overtaking.Add(once);
            Interlocked.Increment(ref link.InFlight);
            Clock.Schedule(Latency + extra + (faults.ReorderMaxDelay * link.Random.NextDouble()), () =>
            {
                lock (link)
                {
                    if (link.Overtaking.Remove(once))
                    {
                        Interlocked.Decrement(ref link.InFlight);
                        once.Run();
                    }
                }
            });
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

    /// <summary>
    /// Hands every message the link still holds back (delayed or reordered) to its recipient now, in the
    /// link's order, and forgets the delay it was holding new messages behind: what a healed link owes
    /// (a 30 s delay healed after 3 s must not hold its traffic 27 s more). The timers of those messages
    /// find nothing left to deliver. Call with the link locked.
    /// </summary>
    private void Release(Link link)
    {
        while (link.Line.TryDequeue(out var head))
        {
            Interlocked.Decrement(ref link.InFlight);
            head.Deliver();
        }

        foreach (var once in link.Overtaking)
        {
            Interlocked.Decrement(ref link.InFlight);
            once.Run();
        }

        link.Overtaking.Clear();
        link.LastDue = Clock.Now;
    }

    private Link LinkOf(string from, string to) =>
        links.GetOrAdd((from, to), static (key, s) => new Link(new SeededRandom(SeededRandom.Derive(s, $"network/{key.From}->{key.To}"))), seed);

    private sealed class Link(SeededRandom random)
    {
        public int InFlight;

        public SeededRandom Random { get; } = random;

        public volatile LinkFaults Faults = LinkFaults.None;

        public Queue<(long Sequence, Action Deliver)> Line { get; } = new();

        /// <summary>
        /// Messages sent outside the FIFO by reordering, not delivered yet, in the order they were sent: a
        /// heal hands them over in that order (a hash set's order would differ between processes and break
        /// the simulator's replay of a seed).
        /// </summary>
        public List<Once> Overtaking { get; } = [];

        public TimeSpan LastDue { get; set; }

        public long Sequence { get; set; }
    }
}

/// <summary>A delivery that runs at most once, whichever of its timer and a heal comes first.</summary>
internal sealed class Once(Action action)
{
    private int _done;

    public void Run()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            action();
        }
    }
}
