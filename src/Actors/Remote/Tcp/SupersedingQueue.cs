namespace Decentral.Actors;

/// <summary>What became of an envelope offered to a <see cref="SupersedingQueue"/>.</summary>
internal enum EnqueueOutcome
{
    Queued,

    /// <summary>It replaced an older queued message of the same recipient and key, in that message's place.</summary>
    Replaced,

    /// <summary>A newer message of the same recipient and key is already queued: this one is dropped.</summary>
    Stale,

    /// <summary>Queued, and the oldest message was dropped to stay within the capacity.</summary>
    QueuedDroppedOldest,
}

/// <summary>
/// The bounded send queue of one outbound link. FIFO, except that an <see cref="ISupersedable"/> message
/// replaces a queued one to the same recipient with the same key and an order not larger (in place, so
/// it leaves as early as the one it replaced). At most one message per (recipient, key) waits, so the
/// order of one sender's messages is kept. When full, the oldest message is dropped: newer state is
/// worth more to the protocol than older. Thread-safe.
/// </summary>
internal sealed class SupersedingQueue
{
    private readonly Queue<Slot> _slots = new();
    private readonly Dictionary<(ActorPath Recipient, long Key), Slot> _byKey = [];
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

    public EnqueueOutcome Enqueue(TransportEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        lock (_slots)
        {
            (ActorPath, long)? key = null;
            if (envelope.Message is ISupersedable newer)
            {
                key = (envelope.Recipient, newer.SupersedeKey);
                if (_byKey.TryGetValue(key.Value, out var queued))
                {
                    if (newer.SupersedeOrder < ((ISupersedable)queued.Envelope.Message).SupersedeOrder)
                    {
                        return EnqueueOutcome.Stale;
                    }

                    queued.Envelope = envelope;
                    return EnqueueOutcome.Replaced;
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
            if (key is { } k)
            {
                _byKey[k] = slot;
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
            _byKey.Clear();
            return count;
        }
    }

    private void Forget(Slot slot)
    {
        if (slot.Key is { } key && _byKey.TryGetValue(key, out var current) && ReferenceEquals(current, slot))
        {
            _byKey.Remove(key);
        }
    }

    private sealed class Slot(TransportEnvelope envelope, (ActorPath, long)? key)
    {
        public TransportEnvelope Envelope { get; set; } = envelope;

        public (ActorPath, long)? Key { get; } = key;
    }
}
