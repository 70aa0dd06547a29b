namespace Decentral.Nodes.Network;

/// <summary>The clock a <see cref="FaultyNetwork"/> delays messages with: virtual under the simulation, real otherwise.</summary>
public interface INetworkClock
{
    /// <summary>Time since an arbitrary fixed origin.</summary>
    TimeSpan Now { get; }

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/>.</summary>
    void Schedule(TimeSpan delay, Action action);
}

/// <summary>Real time: a monotonic stopwatch and one-shot .NET timers (millisecond resolution).</summary>
public sealed class SystemNetworkClock : INetworkClock
{
    public static readonly SystemNetworkClock Instance = new();

    /// <summary>The longest delay a .NET timer takes (2³² − 2 ms, about 49.7 days); longer ones wait this long.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(4294967294);

    private readonly long origin = TimeProvider.System.GetTimestamp();

    public TimeSpan Now => TimeProvider.System.GetElapsedTime(origin);

    public void Schedule(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (delay <= TimeSpan.Zero)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static a => a(), action, preferLocal: false);
            return;
        }

        // A longer due time would throw in every send that passes here; nobody waits 49 days for a message.
        if (delay > MaxDelay)
        {
            delay = MaxDelay;
        }

        var holder = new TimerHolder();
        holder.Timer = TimeProvider.System.CreateTimer(
            static state =>
            {
                var (h, a) = ((TimerHolder, Action))state!;
                h.Timer?.Dispose();
                a();
            },
            (holder, action),
            delay,
            Timeout.InfiniteTimeSpan);
    }

    private sealed class TimerHolder
    {
        public ITimer? Timer { get; set; }
    }
}
