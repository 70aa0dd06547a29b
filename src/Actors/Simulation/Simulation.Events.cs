using System.Diagnostics;

namespace Decentral.Actors;

/// <summary>The event queue, the clock's movement and the trace.</summary>
public sealed partial class Simulation
{
    private enum EntryKind
    {
        Run,
        Timer,
        Callback,
    }

    private readonly record struct Entry(EntryKind Kind, object Target, long Version);

    /// <summary>Earliest time first; at equal times the seeded tie-break decides; the sequence makes keys unique.</summary>
    private readonly record struct Key(long Ticks, ulong TieBreak, long Sequence);

    private sealed class KeyComparer : IComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(Key x, Key y)
        {
            var c = x.Ticks.CompareTo(y.Ticks);
            if (c != 0)
            {
                return c;
            }

            c = x.TieBreak.CompareTo(y.TieBreak);
            return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
        }
    }

    internal void ScheduleRun(IDispatchable work) => Enqueue(new Entry(EntryKind.Run, work, 0), _nowTicks);

    internal void ScheduleTimer(VirtualTimer timer, long dueTicks, long version) =>
        Enqueue(new Entry(EntryKind.Timer, timer, version), Math.Max(dueTicks, _nowTicks));

    private void Enqueue(Entry entry, long ticks) => _queue.Enqueue(entry, new Key(ticks, _tieBreaker.NextUInt64(), _sequence++));

    /// <summary>True when a live event is due at or before <paramref name="deadline"/> (drops stale timer entries on the way).</summary>
    private bool HasRunnable(long deadline)
    {
        while (_queue.TryPeek(out var entry, out var key))
        {
            if (key.Ticks > deadline)
            {
                return false;
            }

            if (entry.Kind == EntryKind.Timer && !((VirtualTimer)entry.Target).IsCurrent(entry.Version))
            {
                _queue.Dequeue();
                continue;
            }

            return true;
        }

        return false;
    }

    private bool TryRunNext(long deadline)
    {
        if (!HasRunnable(deadline))
        {
            return false;
        }

        _queue.TryDequeue(out var entry, out var key);
        Debug.Assert(key.Ticks >= _nowTicks, "Virtual time never goes back.");
        _nowTicks = key.Ticks;
        var index = EventCount++;
        switch (entry.Kind)
        {
            case EntryKind.Run:
                RunCell(index, (IDispatchable)entry.Target);
                break;
            case EntryKind.Timer:
                Record(index, SimulationEventKind.Timer, null, null, null);
                ((VirtualTimer)entry.Target).Fire(entry.Version);
                break;
            default:
                Record(index, SimulationEventKind.Callback, null, null, null);
                ((Action)entry.Target)();
                break;
        }

        return true;
    }

    private void RunCell(long index, IDispatchable work)
    {
        _runningCell = work as ActorCell;
        _delivered = null;
        try
        {
            work.Run();
        }
        finally
        {
            var cell = _runningCell;
            var delivered = _delivered;
            _runningCell = null;
            _delivered = null;
            if (delivered is { } envelope && cell is not null)
            {
                Record(index, SimulationEventKind.Delivery, cell.Path, envelope.Sender?.Path, envelope.Message);
            }
            else
            {
                Record(index, SimulationEventKind.SystemWork, cell?.Path, null, null);
            }
        }
    }

    /// <summary>Called by a cell just before it hands a user message to its actor.</summary>
    internal void RecordDelivery(ActorCell cell, Envelope envelope)
    {
        Debug.Assert(_delivered is null, "One user message per event under the simulation.");
        if (ReferenceEquals(cell, _runningCell))
        {
            _delivered = envelope;
        }
    }

    private void Record(long index, SimulationEventKind kind, ActorPath? recipient, ActorPath? sender, object? message)
    {
        var hash = TraceHash;
        hash = Fnv.Add(hash, (ulong)_nowTicks);
        hash = Fnv.Add(hash, (ulong)kind);
        if (recipient is not null)
        {
            hash = Fnv.Add(hash, recipient.StableHash);
            hash = Fnv.Add(hash, sender?.StableHash ?? 0);
        }

        if (message is not null)
        {
            var payload = message is TimerMessage tick ? tick.Message : message;
            hash = Fnv.Add(hash, TypeHash(payload.GetType()));
            if (Settings.TraceMessageContents)
            {
                hash = Fnv.Add(hash, payload.ToString() ?? string.Empty);
            }
        }

        TraceHash = hash;
        Trace?.Invoke(new SimulationEvent(index, Now, kind, recipient, sender, message is TimerMessage t ? t.Message : message));
    }

    private ulong TypeHash(Type type)
    {
        if (!_typeHashes.TryGetValue(type, out var hash))
        {
            hash = Fnv.Hash(type.FullName ?? type.Name);
            _typeHashes[type] = hash;
        }

        return hash;
    }
}
