namespace Decentral.Actors;

/// <summary>What became of an envelope offered to a <see cref="SupersedingQueue"/>.</summary>
internal enum EnqueueOutcome
{
    Queued,

    /// <summary>It replaced an older queued message of the same recipient and key, in that message's place.</summary>
    Replaced,

    /// <summary>Queued, and the oldest message was dropped to stay within the capacity.</summary>
    QueuedDroppedOldest,
}

/// <summary>
/// The bounded send queue of one link to a peer. FIFO; while superseding is allowed (the link is down,
/// so a backlog of stale stages builds up), an <see cref="ISupersedable"/> message replaces the newest
/// queued one to the same recipient with the same key if that one's order is not larger — in place, so
/// it leaves as early as the one it replaced. While the link is up nothing is replaced: a node's burst
/// (its message for a laggard's stage, then its newest) must reach the laggard whole. An older message
/// is never dropped for being older. When full, the oldest message is dropped. Thread-safe.
/// </summary>
internal sealed class SupersedingQueue
{
    private readonly Queue<Slot> _slots = new();
    private readonly Dictionary<(ActorPath Recipient, long Key), Slot> _newest = [];
    private readonly int _capacity;

    public SupersedingQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_slots)
            {
                return _slots.Count;
            }
        }
    }

    /// <param name="supersede">Whether a newer message may replace a queued older one (the link is not connected).</param>
    public EnqueueOutcome Enqueue(TransportEnvelope envelope, bool supersede = true)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        lock (_slots)
        {
            (ActorPath, long)? key = null;
            var index = false;
            if (envelope.Message is ISupersedable offered)
            {
                key = (envelope.Recipient, offered.SupersedeKey);
                if (!_newest.TryGetValue(key.Value, out var queued))
                {
                    index = true;
                }
                else if (offered.SupersedeOrder >= ((ISupersedable)queued.Envelope.Message).SupersedeOrder)
                {
                    if (supersede)
                    {
                        queued.Envelope = envelope;
                        return EnqueueOutcome.Replaced;
                    }

                    index = true;
                }
            }

            var dropped = false;
            if (_slots.Count >= _capacity)
            {
                Forget(_slots.Dequeue());
                dropped = true;
            }

            var slot = new Slot(envelope, key);
            _slots.Enqueue(slot);
            if (index)
            {
                _newest[key!.Value] = slot;
            }

            return dropped ? EnqueueOutcome.QueuedDroppedOldest : EnqueueOutcome.Queued;
        }
    }

    public bool TryDequeue(out TransportEnvelope envelope)
    {
        lock (_slots)
        {
            if (!_slots.TryDequeue(out var slot))
            {
                envelope = null!;
                return false;
            }

            Forget(slot);
            envelope = slot.Envelope;
            return true;
        }
    }

    public int Clear()
    {
        lock (_slots)
        {
            var count = _slots.Count;
            _slots.Clear();
            _newest.Clear();
            return count;
        }
    }

    private void Forget(Slot slot)
    {
        if (slot.Key is { } key && _newest.TryGetValue(key, out var current) && ReferenceEquals(current, slot))
        {
            _newest.Remove(key);
        }
    }

    private sealed class Slot(TransportEnvelope envelope, (ActorPath, long)? key)
    {
        public TransportEnvelope Envelope { get; set; } = envelope;

        public (ActorPath, long)? Key { get; } = key;
    }
}
