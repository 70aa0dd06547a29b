using System.Numerics;

namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Duration format" and "Size in bytes format", every unit spelling.</summary>
public sealed class UnitTests
{
    private const long NanosPerMicro = 1_000, NanosPerMilli = 1_000_000, NanosPerSecond = 1_000_000_000;

    public static TheoryData<string, long> DurationUnits()
    {
        var data = new TheoryData<string, long>();
        void Add(long nanos, params string[] names)
        {
            foreach (var n in names)
            {
                data.Add(n, nanos);
            }
        }

        Add(1, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(NanosPerMicro, "us", "micro", "micros", "microsecond", "microseconds");
        Add(NanosPerMilli, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(NanosPerSecond, "s", "second", "seconds");
        Add(60 * NanosPerSecond, "m", "minute", "minutes");
        Add(3600 * NanosPerSecond, "h", "hour", "hours");
        Add(86400 * NanosPerSecond, "d", "day", "days");
        return data;
    }

    [Theory]
    [MemberData(nameof(DurationUnits))]
    public void Every_duration_unit_with_and_without_space(string unit, long nanosPerUnit)
    {
        var c = H.Parse($"a = 3{unit}\nb = \" 3 {unit} \"\nc = 1.5 {unit}");
        Assert.Equal(3 * nanosPerUnit, c.GetNanoseconds("a"));
        Assert.Equal(3 * nanosPerUnit, c.GetNanoseconds("b"));
        Assert.Equal(3 * nanosPerUnit / 2, c.GetNanoseconds("c"));
        Assert.Equal(TimeSpan.FromTicks(3 * nanosPerUnit / 100), c.GetDuration("a"));
    }

    [Fact]
    public void Bare_numbers_are_milliseconds()
    {
        var c = H.Parse("a = 250\nb = \"250\"\nc = 0.5");
        Assert.Equal(TimeSpan.FromMilliseconds(250), c.GetDuration("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), c.GetDuration("b"));
        Assert.Equal(500_000L, c.GetNanoseconds("c"));
    }

    [Theory]
    [InlineData("5 S", "unknown duration unit 'S'")]
    [InlineData("5 sec", "unknown duration unit 'sec'")]
    [InlineData("five seconds", "expected a duration")]
    [InlineData("5 s s", "expected a duration")]
    [InlineData("100000000 d", "out of range")]
    public void Invalid_durations_explain_themselves(string text, string expected)
    {
        var c = H.Parse($"t = \"{text}\"");
        var e = Assert.Throws<HoconWrongTypeException>(() => c.GetNanoseconds("t"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("t: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Durations_reject_lists_and_booleans()
    {
        Assert.Throws<HoconWrongTypeException>(() => H.Parse("t = [1]").GetDuration("t"));
        Assert.Throws<HoconWrongTypeException>(() => H.Parse("t = true").GetDuration("t"));
    }

    public static TheoryData<string, int, int> SizeUnits()
    {
        // (unit, base, exponent): the multiplier is base^exponent.
        var data = new TheoryData<string, int, int>();
        foreach (var u in new[] { "B", "b", "byte", "bytes" })
        {
            data.Add(u, 10, 0);
        }

        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] decimalNames = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        for (var i = 0; i < 8; i++)
        {
            foreach (var u in new[] { decimalPrefixes[i] + "B", decimalNames[i] + "byte", decimalNames[i] + "bytes" })
            {
                data.Add(u, 10, 3 * (i + 1));
            }

            var letter = decimalPrefixes[i].ToUpperInvariant();
            foreach (var u in new[] { letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryNames[i] + "byte", binaryNames[i] + "bytes" })
            {
                data.Add(u, 2, 10 * (i + 1));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizeUnits))]
    public void Every_size_unit_uses_the_right_power(string unit, int @base, int exponent)
    {
        var expected = 3 * BigInteger.Pow(@base, exponent);
        var c = H.Parse($"a = \"3{unit}\"\nb = \"3 {unit}\"");
        if (expected <= long.MaxValue)
        {
            Assert.Equal((long)expected, c.GetBytes("a"));
            Assert.Equal((long)expected, c.GetBytes("b"));
        }
        else
        {
            var e = Assert.Throws<HoconWrongTypeException>(() => c.GetBytes("a"));
            Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sizes_default_to_bytes_and_allow_fractions()
    {
        var c = H.Parse("a = 1024\nb = \"512\"\nc = 1.5K\nd = 0.5 kB\ne = 128K");
        Assert.Equal(1024L, c.GetBytes("a"));
        Assert.Equal(512L, c.GetBytes("b"));
        Assert.Equal(1536L, c.GetBytes("c"));
        Assert.Equal(500L, c.GetBytes("d"));
        Assert.Equal(128L * 1024, c.GetBytes("e"));
    }

    [Theory]
    [InlineData("10 kb", "unknown size in bytes unit 'kb'")]
    [InlineData("10 KB", "unknown size in bytes unit 'KB'")]
    [InlineData("lots", "expected a size in bytes")]
    public void Invalid_sizes_explain_themselves(string text, string expected)
    {
        var e = Assert.Throws<HoconWrongTypeException>(() => H.Parse($"s = \"{text}\"").GetBytes("s"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
