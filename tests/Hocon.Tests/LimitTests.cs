using System.Text;

namespace Decentral.Hocon.Tests;

/// <summary>
/// Issue 24, defect 10: a few hundred bytes of text must not grow without bound. Each line doubles the
/// line before it — a string (<c>${a}${a}</c>), a list (<c>${a} ${a}</c>) or, sharing values in memory,
/// a list of two references (<c>[${a}, ${a}]</c>) that rendering would write out in full. Resolution
/// stops at the first key over <see cref="HoconLimits"/> with an error naming it and its position, and
/// rendering stops as it passes <see cref="HoconLimits.MaxRenderedLength"/>. The allocation bounds show
/// nothing large was built on the way (before, the string form reached 7.7 GB).
/// </summary>
public sealed class LimitTests
{
    private const long MaxAllocation = 256L << 20;

    /// <summary>26 lines a…z, each made of the one before by <paramref name="doubling"/> ("{0}" is the previous key).</summary>
    private static string Doubling(string first, string doubling)
    {
        var text = new StringBuilder($"a = {first}\n");
        for (var c = 'b'; c <= 'z'; c++)
        {
            text.Append(c).Append(" = ").Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, doubling, (char)(c - 1))).Append('\n');
        }

        return text.ToString();
    }

    private static (HoconException Error, long Allocated) Fails(Func<object> work)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsAny<HoconException>(work);
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    // 10 · 2^19 characters at t pass MaxStringLength (4 Mi).
    [InlineData("\"0123456789\"", "${{{0}}}${{{0}}}", 't', "MaxStringLength")]
    // Lists of 2^k elements: by s the lists built add up to more than MaxElements (256 Ki).
    [InlineData("[1]", "${{{0}}} ${{{0}}}", 's', "MaxElements")]
    // 2^(k+1) − 2 elements counting shared values per place: over 256 Ki at s.
    [InlineData("\"0123456789\"", "[${{{0}}}, ${{{0}}}]", 's', "MaxElements")]
    public void A_doubling_substitution_stops_at_the_key_that_passes_the_limit(string first, string doubling, char key, string limit)
    {
        var text = Doubling(first, doubling);
        var (e, allocated) = Fails(() => HoconParser.Parse(text, "bomb.conf", options: new HoconParseOptions { Environment = H.NoEnvironment }));

        Assert.StartsWith($"bomb.conf:{key - 'a' + 1}:5: {key}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(limit, e.Message, StringComparison.Ordinal);
        Assert.True(allocated < MaxAllocation, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void Rendering_stops_at_the_limit_naming_the_key_being_written()
    {
        // a…p resolve within the limits (6.5 Mi characters and 2^17 elements counting shared values per
        // place), but the JSON escapes each control character as \u0001: about 40 MB.
        var text = Doubling($"\"{string.Concat(Enumerable.Repeat("\\u0001", 100))}\"", "[${{{0}}}, ${{{0}}}]").Split('\n')[..16];
        var config = HoconParser.Parse(string.Join('\n', text), "shared.conf", options: new HoconParseOptions { Environment = H.NoEnvironment });

        var (e, allocated) = Fails(() => config.ToJson());

        Assert.Matches(@"^shared\.conf:\d+:\d+: [a-p](\.[01])+: rendering stopped here", e.Message);
        Assert.Contains("MaxRenderedLength", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < MaxAllocation, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void The_limits_are_options_of_the_parse_and_of_rendering()
    {
        const string text = "a = 0123456789\nb = ${a}${a}${a}\nc = [${b}, ${b}]";
        Assert.Equal(30, H.Parse(text).GetString("b").Length);

        var tight = new HoconParseOptions { Environment = H.NoEnvironment, Limits = new HoconLimits { MaxStringLength = 29 } };
        var e = Assert.Throws<HoconLimitException>(() => HoconParser.Parse(text, "tight.conf", options: tight));
        Assert.Equal("b", e.Path);
        Assert.Equal("tight.conf:2:5: b: a value concatenation here would build a string of 30 characters, more than the limit of 29 (HoconLimits.MaxStringLength)", e.Message);

        var few = new HoconParseOptions { Environment = H.NoEnvironment, Limits = new HoconLimits { MaxElements = 1 } };
        Assert.Equal("c", Assert.Throws<HoconLimitException>(() => HoconParser.Parse(text, "few.conf", options: few)).Path);

        var config = H.Parse(text);
        var json = config.ToJson(indented: false);
        Assert.Equal(json, config.ToJson(indented: false, new HoconLimits { MaxRenderedLength = json.Length }));
        // The last string ends 2 bytes before the JSON does ("]}") and 3 characters before the HOCON ("\n]\n").
        Assert.Equal("c.1", Assert.Throws<HoconLimitException>(() => config.ToJson(indented: false, new HoconLimits { MaxRenderedLength = json.Length - 3 })).Path);
        Assert.Equal("c.1", Assert.Throws<HoconLimitException>(() => config.ToHocon(limits: new HoconLimits { MaxRenderedLength = config.ToHocon().Length - 4 })).Path);
        Assert.Equal("", Assert.Throws<HoconLimitException>(() => config.ToJson(indented: false, new HoconLimits { MaxRenderedLength = json.Length - 1 })).Path);
    }

    [Fact]
    public void A_configuration_over_a_limit_as_a_whole_is_reported_at_its_largest_key()
    {
        var few = new HoconParseOptions { Environment = H.NoEnvironment, Limits = new HoconLimits { MaxElements = 10 } };
        var e = Assert.Throws<HoconLimitException>(() => HoconParser.Parse("a = [1, 2, 3, 4, 5, 6]\nb = [1, 2, 3]", "whole.conf", options: few));

        Assert.Equal("a", e.Path);
        Assert.StartsWith("whole.conf:1:5: a: the configuration would hold 11 list elements and object fields", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("the largest part is this value, with 6", e.Message, StringComparison.Ordinal);

        // With overrides and fallbacks merged in, the same: a key and a position, never the merged root's.
        var merged = Config.ParseOverrides(["b = [1, 2, 3]"]).WithFallback(HoconParser.ParseUnresolved("a = [1, 2, 3, 4, 5, 6]", "file.conf"));
        Assert.Equal("file.conf:1:5: a", Assert.Throws<HoconLimitException>(() => merged.Resolve(H.NoEnvironment, few.Limits)).Message[..16]);
        Assert.Equal("file.conf:1:5: a", Assert.Throws<HoconLimitException>(
            () => HoconParser.ParseUnresolved("a = [1, 2, 3, 4, 5, 6]\nb = [1, 2, 3]", "file.conf").WithOverrides([], H.NoEnvironment, few.Limits)).Message[..16]);
    }

    [Fact]
    public void Many_references_to_one_merged_object_merge_it_once()
    {
        // a is defined in two layers, so each lookup of ${a} merges them: 3,000 lookups of 2,000 fields
        // would copy six million fields if every lookup merged again.
        var text = new StringBuilder("a {\n");
        for (var i = 0; i < 2000; i++)
        {
            text.Append("k").Append(i).Append(" = 1\n");
        }

        text.Append("}\na { extra = 1 }\nrefs {\n");
        for (var i = 0; i < 3000; i++)
        {
            text.Append("x").Append(i).Append(" = ${a}\n");
        }

        text.Append('}');
        var before = GC.GetAllocatedBytesForCurrentThread();
        var config = HoconParser.Parse(text.ToString(), "refs.conf", options: new HoconParseOptions
        {
            Environment = H.NoEnvironment,
            Limits = new HoconLimits { MaxElements = 10_000_000, MaxCharacters = 100_000_000 },
        });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, config.GetInt("refs.x2999.k1999"));
        Assert.Same(config.GetValue("refs.x0"), config.GetValue("refs.x2999"));
        Assert.True(allocated < 64L << 20, $"{allocated:N0} bytes allocated");
    }
}
