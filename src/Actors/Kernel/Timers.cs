namespace Decentral.Actors;

/// <summary>
/// Akka's ITimerScheduler: keyed timers that send a message to the actor itself. Starting a timer with
/// a key in use replaces it; a cancelled timer's message is never delivered, even if it was already
/// queued. All timers stop when the actor stops, restarts or crashes.
/// </summary>
public interface ITimerScheduler
{
    void StartSingleTimer(object key, object message, TimeSpan delay);

    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();
}

/// <summary>Wraps a timer's message so stale deliveries (after cancel or restart) can be recognised.</summary>
internal sealed record TimerMessage(object Key, int Generation, object Message, bool Periodic);

/// <summary>Timers of one actor cell, created through the system's TimeProvider.</summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, (ITimer Timer, int Generation)> _timers = [];
    private int _generation;

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => StartPeriodicTimer(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Start(key, message, initialDelay, interval);
    }

    public bool IsTimerActive(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_timers)
        {
            return _timers.ContainsKey(key);
        }
    }

    public void Cancel(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_timers)
        {
            if (_timers.Remove(key, out var entry))
            {
                entry.Timer.Dispose();
            }
        }
    }

    public void CancelAll()
    {
        lock (_timers)
        {
            foreach (var entry in _timers.Values)
            {
                entry.Timer.Dispose();
            }

            _timers.Clear();
        }
    }

    /// <summary>True when the message belongs to a live timer; a single timer is then finished.</summary>
    internal bool Accept(TimerMessage message)
    {
        lock (_timers)
        {
            if (!_timers.TryGetValue(message.Key, out var entry) || entry.Generation != message.Generation)
            {
                return false;
            }

            if (!message.Periodic)
            {
                _timers.Remove(message.Key);
                entry.Timer.Dispose();
            }

            return true;
        }
    }

    private void Start(object key, object message, TimeSpan delay, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_timers)
        {
            if (_timers.Remove(key, out var old))
            {
                old.Timer.Dispose();
            }

            var generation = ++_generation;
            var tick = new TimerMessage(key, generation, message, period != Timeout.InfiniteTimeSpan);
            var timer = cell.System.Time.CreateTimer(static state =>
            {
                var (target, msg) = ((ActorCell, TimerMessage))state!;
                target.PostTimer(msg);
            }, (cell, tick), delay, period);
            _timers[key] = (timer, generation);
        }
    }
}
