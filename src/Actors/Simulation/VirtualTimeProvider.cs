namespace Decentral.Actors;

/// <summary>
/// The simulation's clock. Time moves only when the simulation runs events; timers are simulation
/// events, so a timer due at t fires exactly at virtual instant t.
/// </summary>
public sealed class VirtualTimeProvider : TimeProvider
{
    /// <summary>Virtual time starts here, the same in every run.</summary>
    public static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Simulation _simulation;

    internal VirtualTimeProvider(Simulation simulation) => _simulation = simulation;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Epoch + _simulation.Now;

    public override long GetTimestamp() => _simulation.NowTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(_simulation, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }
}

/// <summary>A timer whose firings are simulation events.</summary>
internal sealed class VirtualTimer(Simulation simulation, TimerCallback callback, object? state) : ITimer
{
    private long _version;
    private long _periodTicks;
    private bool _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "Due time must be non-negative or infinite.");
        }

        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Period must be non-negative or infinite.");
        }

        if (_disposed)
        {
            return false;
        }

        _version++;
        _periodTicks = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? 0 : period.Ticks;
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            simulation.ScheduleTimer(this, simulation.NowTicks + dueTime.Ticks, _version);
        }

        return true;
    }

    internal bool IsCurrent(long version) => !_disposed && version == _version;

    /// <summary>Runs when its event comes up; stale events (changed or disposed since) do nothing.</summary>
    internal void Fire(long version)
    {
        if (_disposed || version != _version)
        {
            return;
        }

        if (_periodTicks > 0)
        {
            // Next firing at an exact multiple of the period, scheduled before the callback runs so
            // a callback that changes the timer wins.
            simulation.ScheduleTimer(this, simulation.NowTicks + _periodTicks, _version);
        }

        callback(state);
    }

    public void Dispose()
    {
        _disposed = true;
        _version++;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
