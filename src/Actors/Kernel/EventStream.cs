namespace Decentral.Actors;

/// <summary>
/// Publish/subscribe for system events (<see cref="DeadLetter"/>, <see cref="UnhandledMessage"/>, ...).
/// Actor subscribers receive events as messages; callback subscribers run on the publishing thread
/// and must be quick and thread-safe.
/// </summary>
public sealed class EventStream
{
    private readonly object _gate = new();
    private Subscription[] _subscriptions = [];

    public void Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        Add(new Subscription(channel, subscriber, null));
    }

    public void Unsubscribe(IActorRef subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => s.Actor is null || s.Actor.Path != subscriber.Path);
        }
    }

    /// <summary>Calls <paramref name="handler"/> for every published <typeparamref name="T"/>; dispose to stop.</summary>
    public IDisposable Subscribe<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(typeof(T), null, e => handler((T)e));
        Add(subscription);
        return new Unsubscriber(this, subscription);
    }

    public void Publish(object evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var subscriptions = Volatile.Read(ref _subscriptions);
        foreach (var s in subscriptions)
        {
            if (!s.Channel.IsInstanceOfType(evt))
            {
                continue;
            }

            if (s.Actor is not null)
            {
                s.Actor.Tell(evt, null);
            }
            else
            {
                s.Callback!(evt);
            }
        }
    }

    private void Add(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
        }
    }

    private sealed record Subscription(Type Channel, IActorRef? Actor, Action<object>? Callback);

    private sealed class Unsubscriber(EventStream stream, Subscription subscription) : IDisposable
    {
        public void Dispose() => stream.Remove(subscription);
    }
}
