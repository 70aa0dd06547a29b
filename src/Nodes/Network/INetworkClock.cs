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
