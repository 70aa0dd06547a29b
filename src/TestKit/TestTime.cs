using System.Diagnostics;
using System.Globalization;
using Decentral.Simulation;

namespace Decentral.TestKit;

/// <summary>
/// How TestKit waits: under a simulation by running it (virtual time, exact instants, no real waiting);
/// otherwise by blocking with timeouts multiplied by the time factor (env <c>DECENTRAL_TEST_TIME_FACTOR</c>).
/// </summary>
public abstract class TestTime
{
    public const string TimeFactorVariable = "DECENTRAL_TEST_TIME_FACTOR";

    /// <summary>Default for expectations without an explicit timeout (Akka's single-expect default).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Default polling interval of AwaitAssert and AwaitCondition.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly Stack<TimeSpan> _deadlines = new();

    /// <summary>Real-time timeouts are multiplied by this (slow CI machines set it above 1).</summary>
    public static double TimeFactor { get; } = ReadTimeFactor();

    public abstract bool IsVirtual { get; }

    /// <summary>Time on this driver's clock (virtual time since the simulation started, or real elapsed time).</summary>
    public abstract TimeSpan Now { get; }

    /// <summary>How to replay the run, quoted in failure messages.</summary>
    public abstract string? ReplayHint { get; }

    public static TestTime For(Simulator simulation) => new SimulatedTestTime(simulation);

    public static TestTime Real() => new RealTestTime();

    /// <summary>Stretches a real-time timeout by the time factor; virtual time is exact.</summary>
    public abstract TimeSpan Dilate(TimeSpan duration);

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="max"/> passes; true if it held.</summary>
    public abstract bool WaitUntil(Func<bool> condition, TimeSpan max, SemaphoreSlim? signal = null);

    /// <summary>Lets <paramref name="duration"/> pass (virtual: runs the simulation that far).</summary>
    public abstract void Pass(TimeSpan duration);

    /// <summary>The timeout to use: the explicit one (or the default), cut to what an enclosing Within leaves.</summary>
    public TimeSpan RemainingOr(TimeSpan? timeout)
    {
        var wanted = timeout ?? DefaultTimeout;
        if (_deadlines.Count == 0)
        {
            return Dilate(wanted);
        }

        var left = _deadlines.Peek() - Now;
        if (left < TimeSpan.Zero)
        {
            left = TimeSpan.Zero;
        }

        return timeout is null ? left : Min(Dilate(wanted), left);
    }

    /// <summary>Runs <paramref name="action"/>, which must finish between min and max (Akka's within).</summary>
    public T Within<T>(TimeSpan min, TimeSpan max, Func<T> action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        ArgumentNullException.ThrowIfNull(action);
        var start = Now;
        var dilatedMax = Dilate(max);
        _deadlines.Push(start + dilatedMax);
        T result;
        try
        {
            result = action();
        }
        finally
        {
            _deadlines.Pop();
        }

        var elapsed = Now - start;
        if (elapsed < min)
        {
            throw Fail($"Within: the block took {Format(elapsed)}, less than the minimum {Format(min)}");
        }

        if (elapsed > dilatedMax)
        {
            throw Fail($"Within: the block took {Format(elapsed)}, more than the maximum {Format(dilatedMax)}");
        }

        return result;
    }

    public void AwaitCondition(Func<bool> condition, TimeSpan? max, TimeSpan? interval, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = RemainingOr(max);
        if (!PollUntil(condition, limit, interval ?? DefaultInterval))
        {
            throw Fail($"AwaitCondition: {message ?? "the condition"} did not hold within {Format(limit)}");
        }
    }

    public void AwaitAssert(Action assertion, TimeSpan? max, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var limit = RemainingOr(max);
        Exception? last = null;
        bool Check()
        {
            try
            {
                assertion();
                return true;
            }
            catch (Exception ex)
            {
                last = ex;
                return false;
            }
        }

        if (!PollUntil(Check, limit, interval ?? DefaultInterval))
        {
            throw Fail($"AwaitAssert: the assertion still failed after {Format(limit)}: {last?.Message}");
        }
    }

    internal TestKitAssertionException Fail(string message)
    {
        var hint = ReplayHint;
        var at = IsVirtual ? $" (virtual time {Format(Now)})" : string.Empty;
        return new TestKitAssertionException(hint is null ? message + at : $"{message}{at}. Replay: {hint}");
    }

    internal static string Format(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Checks at every interval (virtual time: at exact multiples of it) until the limit.</summary>
    private bool PollUntil(Func<bool> condition, TimeSpan limit, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var deadline = Now + limit;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            var left = deadline - Now;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            Pass(Min(interval, left));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static double ReadTimeFactor()
    {
        var text = Environment.GetEnvironmentVariable(TimeFactorVariable);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 1 ? f : 1.0;
    }

    private sealed class SimulatedTestTime(Simulator simulation) : TestTime
    {
        public override bool IsVirtual => true;

        public override TimeSpan Now => simulation.Now;

        public override string? ReplayHint => simulation.ReplayHint ?? $"seed {simulation.Seed}";

        public override TimeSpan Dilate(TimeSpan duration) => duration;

        public override bool WaitUntil(Func<bool> condition, TimeSpan max, SemaphoreSlim? signal = null) =>
            simulation.RunUntil(condition, max);

        public override void Pass(TimeSpan duration) => simulation.Advance(duration);
    }

    private sealed class RealTestTime : TestTime
    {
        /// <summary>Longest a wait goes without re-checking its condition.</summary>
        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public override bool IsVirtual => false;

        public override TimeSpan Now => _clock.Elapsed;

        public override string? ReplayHint => null;

        public override TimeSpan Dilate(TimeSpan duration) =>
            duration == Timeout.InfiniteTimeSpan ? duration : duration * TimeFactor;

        public override bool WaitUntil(Func<bool> condition, TimeSpan max, SemaphoreSlim? signal = null)
        {
            var deadline = Now + max;
            using var idle = signal is null ? new SemaphoreSlim(0) : null;
            var waitOn = signal ?? idle!;
            while (true)
            {
                if (condition())
                {
                    return true;
                }

                var left = deadline - Now;
                if (left <= TimeSpan.Zero)
                {
                    return condition();
                }

                waitOn.Wait(left < PollInterval ? left : PollInterval);
            }
        }

        public override void Pass(TimeSpan duration)
        {
            // A bounded wait on an event nobody sets: the plain way to let real time pass here.
            using var never = new ManualResetEventSlim(false);
            never.Wait(duration);
        }
    }
}
