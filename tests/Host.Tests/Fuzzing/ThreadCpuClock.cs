using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Decentral.Host.Tests.Fuzzing;

/// <summary>
/// CPU time of the calling thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID)), so that the fuzz
/// harness's per-input time does not depend on how loaded the shared machine is; elsewhere, wall time.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeClock = 3;

    /// <summary>True when <see cref="Now"/> is thread CPU time rather than wall time.</summary>
    public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && Probe();

    public static TimeSpan Now()
    {
        if (!IsCpuTime)
        {
            return Stopwatch.GetElapsedTime(0);
        }

        _ = ClockGetTime(ThreadCpuTimeClock, out var time);
        return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
    }

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ThreadCpuTimeClock, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
