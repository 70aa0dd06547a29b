using Akka.Actor;
using Akka.Dispatch;
using Decentral.Agreement;

namespace Decentral.Simulation;

/// <summary>The timer queue, the clock's movement and the trace.</summary>
public sealed partial class Simulator
{
    private readonly PriorityQueue<TimerEntry, (long Due, ulong TieBreak, long Sequence)> timers = new();
    private readonly SeededRandom timerTieBreak;
    private readonly Dictionary<Type, ulong> typeHashes = [];
    private readonly Dictionary<ActorPath, ulong> pathHashes = [];
    private long nowTicks;
    private bool shuttingDown;
    private long timerSequence;
    private SimulationMessageQueue? runningQueue;
    private Envelope? delivered;

    /// <summary>Timers and callbacks waiting (cancelled ones included until they come due).</summary>
    public int PendingTimers
    {
        get
        {
            lock (timers)
            {
                return timers.Count;
            }
        }
    }

    internal void AddTimer(TimeSpan delay, TimeSpan interval, TimerWork work, ICancelable? cancelable, bool callback = false)
    {
        if (cancelable is { IsCancellationRequested: true })
        {
            return;
        }

        var entry = new TimerEntry(work, interval.Ticks, cancelable, callback);
        Ready.CountIfForeign();
        lock (timers)
        {
            entry.Due = DeadlineAfter(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
            Enqueue(entry);
        }
    }

    /// <summary>Called by a simulation mailbox queue when its actor takes a user message.</summary>
    internal void OnDequeued(SimulationMessageQueue queue, Envelope envelope)
    {
        if (ReferenceEquals(queue, runningQueue) && delivered is null)
        {
            delivered = envelope;
        }
    }

    private void Enqueue(TimerEntry entry) => timers.Enqueue(entry, (entry.Due, timerTieBreak.NextUInt64(), timerSequence++));

    private bool HasRunnable(long deadline) => Ready.Count > 0 || NextTimerDue() is { } due && due <= deadline;

    private long? NextTimerDue()
    {
        lock (timers)
        {
            while (timers.TryPeek(out var entry, out var key))
            {
                if (entry.Cancelable is { IsCancellationRequested: true })
                {
                    timers.Dequeue();
                    continue;
                }

                return key.Due;
            }

            return null;
        }
    }

    private bool TryRunNext(long deadline)
    {
        if (Ready.TryTake(out var work))
        {
            RunMailbox(EventCount++, work);
            return true;
        }

        TimerEntry entry;
        lock (timers)
        {
            if (NextTimerDue() is not { } due || due > deadline)
            {
                return false;
            }

            entry = timers.Dequeue();
            nowTicks = Math.Max(nowTicks, due);
        }

        if (entry.Callback && shuttingDown)
        {
            // The run is over: a user callback (a fault step, a network delivery) must not act on
            // systems that are stopping. Akka's own timers still fire, its shutdown needs them.
            return true;
        }

        var index = EventCount++;
        Record(index, entry.Callback ? SimulationEventKind.Callback : SimulationEventKind.Timer, null, null, entry.Work.Message);
        entry.Work.Fire();
        if (entry.IntervalTicks > 0 && entry.Cancelable is not { IsCancellationRequested: true })
        {
            lock (timers)
            {
                entry.Due += entry.IntervalTicks;
                Enqueue(entry);
            }
        }

        return true;
    }

    private void RunMailbox(long index, IRunnable work)
    {
        runningQueue = (work as Mailbox)?.MessageQueue as SimulationMessageQueue;
        delivered = null;
        try
        {
            work.Run();
        }
        finally
        {
            var queue = runningQueue;
            var envelope = delivered;
            runningQueue = null;
            delivered = null;
            var recipient = queue?.Owner?.Path;
            if (envelope is { } e)
            {
                Record(index, SimulationEventKind.Delivery, recipient, e.Sender?.Path, e.Message);
            }
            else
            {
                Record(index, SimulationEventKind.SystemWork, recipient, null, null);
            }
        }
    }

    private void Record(long index, SimulationEventKind kind, ActorPath? recipient, ActorPath? sender, object? message)
    {
        var hash = TraceHash;
        hash = Fnv.Add(hash, (ulong)nowTicks);
        hash = Fnv.Add(hash, (ulong)kind);
        if (recipient is not null)
        {
            hash = Fnv.Add(hash, PathHash(recipient));
            hash = Fnv.Add(hash, sender is null ? 0 : PathHash(sender));
        }

        var payload = message is IWrappedMessage wrapped ? wrapped.Message : message;
        if (payload is not null)
        {
            hash = Fnv.Add(hash, TypeHash(payload.GetType()));
            if (Settings.TraceMessageContents)
            {
                hash = Fnv.Add(hash, payload.ToString() ?? string.Empty);
            }
        }

        TraceHash = hash;
        Trace?.Invoke(new SimulationEvent(index, Now, kind, recipient, sender, payload));
    }

    private ulong PathHash(ActorPath path)
    {
        if (!pathHashes.TryGetValue(path, out var hash))
        {
            hash = Fnv.Hash(StablePath.Of(path));
            pathHashes[path] = hash;
        }

        return hash;
    }

    private ulong TypeHash(Type type)
    {
        if (!typeHashes.TryGetValue(type, out var hash))
        {
            hash = Fnv.Hash(type.FullName ?? type.Name);
            typeHashes[type] = hash;
        }

        return hash;
    }

    private sealed class TimerEntry(TimerWork work, long intervalTicks, ICancelable? cancelable, bool callback)
    {
        public TimerWork Work { get; } = work;

        public long IntervalTicks { get; } = intervalTicks;

        public ICancelable? Cancelable { get; } = cancelable;

        public bool Callback { get; } = callback;

        public long Due { get; set; }
    }
}
