namespace Decentral.Actors;

/// <summary>
/// Delays envelopes on one directed link without reordering them: each gets a due time no earlier
/// than the one before it, and a timer firing for item k delivers every item up to k in order. That
/// stays FIFO even if timers fire early, late or in a shuffled order (thread-pool timers, or
/// simulation timers that tie at one instant).
/// </summary>
internal sealed class DelayLine(TimeProvider time, Action<TransportEnvelope> deliver)
{
    private readonly Queue<Item> _queue = new();
    private long _lastDue = long.MinValue;
    private long _sequence;

    public bool IsEmpty
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count == 0;
            }
        }
    }

    public void Enqueue(TransportEnvelope envelope, TimeSpan delay)
    {
        lock (_queue)
        {
            var now = time.GetTimestamp();
            var due = Math.Max(now + ToTimestamp(delay), _lastDue);
            _lastDue = due;
            var item = new Item(++_sequence, envelope);
            _queue.Enqueue(item);
            var wait = TimeSpan.FromSeconds((double)(due - now) / time.TimestampFrequency);
            item.Timer = time.CreateTimer(static state =>
            {
                var (line, sequence) = ((DelayLine, long))state!;
                line.DeliverThrough(sequence);
            }, (this, item.Sequence), wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void DeliverThrough(long sequence)
    {
        lock (_queue)
        {
            while (_queue.TryPeek(out var head) && head.Sequence <= sequence)
            {
                _queue.Dequeue();
                head.Timer?.Dispose();
                deliver(head.Envelope);
            }
        }
    }

    private long ToTimestamp(TimeSpan delay) => (long)(delay.TotalSeconds * time.TimestampFrequency);

    private sealed class Item(long sequence, TransportEnvelope envelope)
    {
        public long Sequence { get; } = sequence;

        public TransportEnvelope Envelope { get; } = envelope;

        public ITimer? Timer { get; set; }
    }
}
