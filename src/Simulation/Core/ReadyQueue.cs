using System.Reflection;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Dispatch;
using Decentral.Agreement;

namespace Decentral.Simulation;

/// <summary>
/// The mailboxes (and other runnables) that have work now. The pick is canonical, so it is the same
/// in every process: system-side work first, in (actor path, arrival) order and without touching the
/// generator; then a seeded choice among user actors sorted by path. Akka enqueues children in
/// per-process string-hash order, so arrival order alone would differ between processes.
/// </summary>
internal sealed class ReadyQueue
{
    private const string UserPrefix = "/user/";
    private const string OtherKey = "~";

    private static readonly PropertyInfo? MailboxActor =
        typeof(Mailbox).GetProperty("Actor", BindingFlags.Instance | BindingFlags.NonPublic);

    private static readonly ConditionalWeakTable<IRunnable, string> Keys = new();

    private readonly object gate = new();
    private readonly List<(IRunnable Work, string Key, long Sequence)> items = [];
    private readonly SeededRandom random;
    private long sequence;

    public ReadyQueue(SeededRandom random)
    {
        this.random = random;
    }

    /// <summary>The simulator's loop thread while it runs; adds from any other thread are counted.</summary>
    public Thread? Owner { get; set; }

    /// <summary>Work handed in by a thread other than the loop's while the loop ran (breaks determinism).</summary>
    public long ForeignAdds { get; private set; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>Counts a call from a thread other than the loop's while the loop runs (a timer added from outside).</summary>
    public void CountIfForeign()
    {
        lock (gate)
        {
            if (Owner is { } owner && owner != Thread.CurrentThread)
            {
                ForeignAdds++;
            }
        }
    }

    public void Add(IRunnable work)
    {
        var key = KeyOf(work);
        lock (gate)
        {
            if (Owner is { } owner && owner != Thread.CurrentThread)
            {
                ForeignAdds++;
            }

            items.Add((work, key, sequence++));
        }
    }

    public bool TryTake(out IRunnable work)
    {
        lock (gate)
        {
            if (items.Count == 0)
            {
                work = null!;
                return false;
            }

            var index = Pick();
            work = items[index].Work;
            items.RemoveAt(index);
            return true;
        }
    }

    /// <summary>The key a runnable is ordered by: its actor's path without the address's uid-free prefix.</summary>
    public static string KeyOf(IRunnable work)
    {
        if (Keys.TryGetValue(work, out var key))
        {
            return key;
        }

        key = OtherKey;
        if (work is Mailbox mailbox)
        {
            if (mailbox.MessageQueue is SimulationMessageQueue { Owner: { } owner })
            {
                key = StablePath.Of(owner.Path);
            }
            else if (MailboxActor?.GetValue(mailbox) is ActorCell cell)
            {
                key = StablePath.Of(cell.Self.Path);
            }
        }

        Keys.AddOrUpdate(work, key);
        return key;
    }

    private int Pick()
    {
        var best = -1;
        var users = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (IsUser(items[i].Key))
            {
                users++;
                continue;
            }

            if (best < 0 || Before(items[i], items[best]))
            {
                best = i;
            }
        }

        if (best >= 0)
        {
            return best;
        }

        if (users == 1)
        {
            return 0;
        }

        // The k-th smallest user entry in (key, sequence) order, k seeded.
        var order = new int[items.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => Before(items[a], items[b]) ? -1 : Before(items[b], items[a]) ? 1 : 0);
        return order[random.Next(order.Length)];
    }

    private static bool IsUser(string key) => key.StartsWith(UserPrefix, StringComparison.Ordinal);

    private static bool Before((IRunnable Work, string Key, long Sequence) a, (IRunnable Work, string Key, long Sequence) b)
    {
        var c = string.CompareOrdinal(a.Key, b.Key);
        return c != 0 ? c < 0 : a.Sequence < b.Sequence;
    }
}
