using System.Globalization;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon;

/// <summary>
/// The "units format" of HOCON.md: optional whitespace, a number, optional whitespace, an optional
/// unit made of letters. Durations default to milliseconds (units are lower-case only); sizes default
/// to bytes, with powers of ten for kB/MB/... and powers of two for K/Ki/KiB/....
/// </summary>
public static class HoconUnits
{
    private const decimal TicksPerNanosecond = 0.01m;

    private static readonly Dictionary<string, decimal> DurationUnits = BuildDurationUnits();
    private static readonly Dictionary<string, decimal> SizeUnits = BuildSizeUnits();

    /// <summary>Parses a duration string to nanoseconds; null with <paramref name="error"/> set when invalid.</summary>
    public static long? TryParseNanoseconds(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var amount = TryParse(text, DurationUnits, 1_000_000m, "duration", "ns, us, ms, s, m, h, d", out error);
        return amount is null ? null : ToLong(amount.Value, "nanoseconds", text, ref error);
    }

    /// <summary>Parses a duration string to a <see cref="TimeSpan"/> (truncated to 100 ns ticks).</summary>
    public static TimeSpan? TryParseDuration(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var amount = TryParse(text, DurationUnits, 1_000_000m, "duration", "ns, us, ms, s, m, h, d", out error);
        if (amount is null)
        {
            return null;
        }

        var ticks = ToLong(amount.Value * TicksPerNanosecond, "a duration", text, ref error);
        return ticks is null ? null : TimeSpan.FromTicks(ticks.Value);
    }

    /// <summary>Parses a size string to bytes (fractions of a byte are truncated).</summary>
    public static long? TryParseBytes(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var amount = TryParse(text, SizeUnits, 1m, "size in bytes", "B, kB, K, KiB, MB, M, MiB, ... (see HOCON.md)", out error);
        return amount is null ? null : ToLong(amount.Value, "a 64-bit byte count", text, ref error);
    }

    private static decimal? TryParse(
        string text, Dictionary<string, decimal> units, decimal defaultUnit, string what, string unitList, out string? error)
    {
        var span = text.AsSpan().Trim();
        var numberLength = NumberSyntax.MatchLength(span);
        if (numberLength == 0)
        {
            error = $"expected a {what} such as \"{(what == "duration" ? "10s" : "512K")}\", found \"{text}\"";
            return null;
        }

        var unit = span[numberLength..].Trim().ToString();
        if (unit.Any(c => !char.IsLetter(c)))
        {
            error = $"expected a {what}: a number and an optional unit, found \"{text}\"";
            return null;
        }

        var multiplier = defaultUnit;
        if (unit.Length > 0 && !units.TryGetValue(unit, out multiplier))
        {
            error = $"unknown {what} unit '{unit}' in \"{text}\"; use one of {unitList}";
            return null;
        }

        try
        {
            var number = decimal.Parse(span[..numberLength], NumberStyles.Float, CultureInfo.InvariantCulture);
            error = null;
            return number * multiplier;
        }
        catch (OverflowException)
        {
            error = $"\"{text}\" is out of range for a {what}";
            return null;
        }
    }

    private static long? ToLong(decimal value, string what, string text, ref string? error)
    {
        var truncated = decimal.Truncate(value);
        if (truncated > long.MaxValue || truncated < long.MinValue)
        {
            error = $"\"{text}\" is out of range for {what}";
            return null;
        }

        return (long)truncated;
    }

    private static Dictionary<string, decimal> BuildDurationUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal nanos, params string[] names)
        {
            foreach (var n in names)
            {
                units.Add(n, nanos);
            }
        }

        Add(1m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(1_000m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(1_000_000m, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(1_000_000_000m, "s", "second", "seconds");
        Add(60_000_000_000m, "m", "minute", "minutes");
        Add(3_600_000_000_000m, "h", "hour", "hours");
        Add(86_400_000_000_000m, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, decimal> BuildSizeUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["B"] = 1m,
            ["b"] = 1m,
            ["byte"] = 1m,
            ["bytes"] = 1m,
        };
        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] decimalNames = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal power10 = 1m, power2 = 1m;
        for (var i = 0; i < decimalPrefixes.Length; i++)
        {
            power10 *= 1000m;
            power2 *= 1024m;
            var letter = decimalPrefixes[i].ToUpperInvariant();
            units.Add(decimalPrefixes[i] + "B", power10);
            units.Add(decimalNames[i] + "byte", power10);
            units.Add(decimalNames[i] + "bytes", power10);
            foreach (var name in new[] { letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryNames[i] + "byte", binaryNames[i] + "bytes" })
            {
                units.Add(name, power2);
            }
        }

        return units;
    }
}
