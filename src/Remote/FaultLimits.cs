using System.Globalization;

namespace Decentral.Remote;

/// <summary>
/// The ranges of the fault commands' parameters, checked where they enter (the admin endpoint and the
/// CLI): a delay is a finite number of milliseconds from 0 to <see cref="MaxDelay"/>, a drop probability a
/// finite number from 0 to 1. Anything else is refused with a message naming the parameter and its range
/// (HTTP 400, exit code 2), before it reaches a timer or a transport adapter.
/// </summary>
public static class FaultLimits
{
    /// <summary>The longest delay `fault delay` accepts: one hour (longer is a blackhole; use `fault blackhole`).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>The delay <paramref name="milliseconds"/> stands for; <paramref name="name"/> is how the caller spelled the parameter.</summary>
    /// <exception cref="ArgumentException">Missing, not finite, negative or above <see cref="MaxDelay"/>.</exception>
    public static TimeSpan Delay(double? milliseconds, string name = "ms")
    {
        if (milliseconds is not { } ms)
        {
            throw new ArgumentException($"A delay needs {name}=… (milliseconds from 0 to {MaxDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}).", name);
        }

        if (!double.IsFinite(ms) || ms < 0 || ms > MaxDelay.TotalMilliseconds)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{name}={ms} is out of range: a delay lies from 0 to {MaxDelay.TotalMilliseconds} ms (1 h); for longer, use blackhole."), name);
        }

        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>The drop probability <paramref name="p"/>.</summary>
    /// <exception cref="ArgumentException">Missing, not finite or outside [0, 1].</exception>
    public static double Probability(double? p, string name = "p")
    {
        if (p is not { } value)
        {
            throw new ArgumentException($"A drop needs {name}=… (a probability from 0 to 1).", name);
        }

        if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name}={value} is not a probability from 0 to 1."), name);
        }

        return value;
    }
}
