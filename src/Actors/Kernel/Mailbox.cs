using System.Collections.Concurrent;

namespace Decentral.Actors;

internal enum EnqueueResult
{
    Enqueued,
    DroppedNewest,
    DroppedOldest,
    Rejected,
}

/// <summary>
/// A bounded multi-producer queue. One queue per receiver keeps every sender's messages in the order
/// they were sent. The bound is a counter next to an unbounded ConcurrentQueue: cheap, and at most a
/// few racing producers can overshoot it briefly before the counter corrects them.
/// </summary>
internal sealed class Mailbox
{
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private readonly int _capacity;
    private readonly OverflowPolicy _overflow;
    private int _count;

    public Mailbox(MailboxSettings settings)
    {
        _capacity = settings.Capacity;
        _overflow = settings.Overflow;
    }

    public int Count => Volatile.Read(ref _count);

    public EnqueueResult TryEnqueue(in Envelope envelope, out Envelope dropped)
    {
        dropped = default;
        if (Interlocked.Increment(ref _count) <= _capacity)
        {
            _queue.Enqueue(envelope);
            return EnqueueResult.Enqueued;
        }

        switch (_overflow)
        {
            case OverflowPolicy.DropOldest:
                if (_queue.TryDequeue(out dropped))
                {
                    // One out, one in: the count (already incremented) is right again after the decrement below.
                    Interlocked.Decrement(ref _count);
                    _queue.Enqueue(envelope);
                    return EnqueueResult.DroppedOldest;
                }

                _queue.Enqueue(envelope);
                return EnqueueResult.Enqueued;
            case OverflowPolicy.DropNewest:
                Interlocked.Decrement(ref _count);
                dropped = envelope;
                return EnqueueResult.DroppedNewest;
            default:
                Interlocked.Decrement(ref _count);
                dropped = envelope;
                return EnqueueResult.Rejected;
        }
    }

    /// <summary>Ignores the bound: kernel notifications (Terminated) must not be lost to overflow.</summary>
    public void ForceEnqueue(in Envelope envelope)
    {
        Interlocked.Increment(ref _count);
        _queue.Enqueue(envelope);
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (_queue.TryDequeue(out envelope))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }
}
