namespace Decentral.Hocon.Tests;

/// <summary>Typed getters, HOCON.md's automatic conversions, and their error messages.</summary>
public sealed class GetterTests
{
    private const string Local = """
        decentral {
          sgd {
              iterations = "many"
            rate = 0.5
            big = 3000000000
            flag = yes
          }
        }
        """;

    [Fact]
    public void Wrong_type_names_full_path_found_value_and_its_origin()
    {
        var c = H.Parse(Local, "local.conf");
        var e = Assert.Throws<HoconWrongTypeException>(() => c.GetInt("decentral.sgd.iterations"));
        Assert.Equal("decentral.sgd.iterations: expected a number, found string \"many\" (local.conf:3:20)", e.Message);
        Assert.Equal("decentral.sgd.iterations", e.Path);
        Assert.Equal(new ConfigOrigin("local.conf", 3, 20), e.Origin);
    }

    [Fact]
    public void Sub_configs_keep_the_full_path_in_errors()
    {
        var sgd = H.Parse(Local, "local.conf").GetConfig("decentral.sgd");
        var e = Assert.Throws<HoconWrongTypeException>(() => sgd.GetInt("iterations"));
        Assert.StartsWith("decentral.sgd.iterations: expected a number", e.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<HoconMissingException>(() => sgd.GetInt("batch-size"));
        Assert.Equal("decentral.sgd.batch-size", missing.Path);
        Assert.Equal("decentral.sgd.batch-size: no setting at this path", missing.Message);
    }

    [Fact]
    public void Integers_out_of_range_or_fractional_are_rejected()
    {
        var c = H.Parse(Local, "local.conf");
        Assert.Equal(3_000_000_000L, c.GetLong("decentral.sgd.big"));
        var range = Assert.Throws<HoconWrongTypeException>(() => c.GetInt("decentral.sgd.big"));
        Assert.Contains("32-bit", range.Message, StringComparison.Ordinal);
        var fraction = Assert.Throws<HoconWrongTypeException>(() => c.GetInt("decentral.sgd.rate"));
        Assert.Contains("expected an integer, found number 0.5", fraction.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_convert_from_strings_and_integral_exponents()
    {
        var c = H.Parse("s = \"42\"\ne = 1e3\nd = \" 2.5 \"\ni = 7");
        Assert.Equal(42, c.GetInt("s"));
        Assert.Equal(1000, c.GetInt("e"));
        Assert.Equal(2.5, c.GetDouble("d"));
        Assert.Equal(7.0, c.GetDouble("i"));
    }

    [Fact]
    public void Strings_convert_from_numbers_and_booleans_but_not_null_lists_or_objects()
    {
        var c = H.Parse("n = 1.50\nb = false\nz = null\nl = [1]\no { }\nlz = 007");
        Assert.Equal("1.50", c.GetString("n"));
        Assert.Equal("false", c.GetString("b"));
        Assert.Equal("7", c.GetString("lz"));
        Assert.Contains("found null", Assert.Throws<HoconWrongTypeException>(() => c.GetString("z")).Message, StringComparison.Ordinal);
        Assert.Contains("found list", Assert.Throws<HoconWrongTypeException>(() => c.GetString("l")).Message, StringComparison.Ordinal);
        Assert.Contains("found object", Assert.Throws<HoconWrongTypeException>(() => c.GetString("o")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Doubles_must_be_finite()
    {
        var e = Assert.Throws<HoconWrongTypeException>(() => H.Parse("x = 1e999").GetDouble("x"));
        Assert.Contains("out of range", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    public void Booleans_accept_the_six_spellings(string text, bool expected)
    {
        Assert.Equal(expected, H.Parse("b = " + text).GetBoolean("b"));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Yes")]
    [InlineData("enabled")]
    public void Other_boolean_spellings_are_rejected(string text)
    {
        var e = Assert.Throws<HoconWrongTypeException>(() => H.Parse("b = " + text).GetBoolean("b"));
        Assert.Contains("expected a boolean", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_paths_and_non_object_prefixes()
    {
        var c = H.Parse("a = 1\nn = null");
        Assert.Throws<HoconMissingException>(() => c.GetInt("b"));
        var e = Assert.Throws<HoconWrongTypeException>(() => c.GetInt("a.b"));
        Assert.StartsWith("a: expected an object (to look up 'b'), found number 1", e.Message, StringComparison.Ordinal);
        Assert.False(c.HasPath("a.b.c"));
        Assert.True(c.HasPath("a"));
        Assert.False(c.HasPath("n"));
        Assert.True(c.HasPathOrNull("n"));
        Assert.False(c.HasPath("missing"));
    }

    [Fact]
    public void Lists_convert_each_element_and_name_the_bad_one()
    {
        var c = H.Parse("l = [1, \"2\", 3.0]\nd = [1, 2.5]\ns = [a, 1, true]\nb = [on, false]\nbad = [1, x]\nx = x");
        Assert.Equal([1, 2, 3], c.GetIntList("l"));
        Assert.Equal([1L, 2L, 3L], c.GetLongList("l"));
        Assert.Equal([1.0, 2.5], c.GetDoubleList("d"));
        Assert.Equal(["a", "1", "true"], c.GetStringList("s"));
        Assert.Equal([true, false], c.GetBooleanList("b"));
        var e = Assert.Throws<HoconWrongTypeException>(() => c.GetIntList("bad"));
        Assert.StartsWith("bad.1: expected a number, found string \"x\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("expected a list, found string \"x\"", Assert.Throws<HoconWrongTypeException>(() => c.GetIntList("x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numerically_indexed_objects_read_as_lists_in_index_order()
    {
        var c = H.Parse("o { \"2\" = c, \"0\" = a, \"10\" = d, \"1\" = b, name = ignored }\nempty { x = 1 }");
        Assert.Equal(["a", "b", "c", "d"], c.GetStringList("o"));
        Assert.Throws<HoconWrongTypeException>(() => c.GetStringList("empty"));
    }

    [Fact]
    public void Config_lists_give_a_config_per_object()
    {
        var c = H.Parse("faults = [ { kind = crash, at = 10 }, { kind = heal, at = 20 } ]\nbad = [1]");
        var faults = c.GetConfigList("faults");
        Assert.Equal(["crash", "heal"], faults.Select(f => f.GetString("kind")));
        Assert.Equal(20, faults[1].GetInt("at"));
        var e = Assert.Throws<HoconWrongTypeException>(() => faults[0].GetInt("kind"));
        Assert.StartsWith("faults.0.kind:", e.Message, StringComparison.Ordinal);
        Assert.Throws<HoconWrongTypeException>(() => c.GetConfigList("bad"));
    }

    [Fact]
    public void Objects_keys_and_entries_enumerate_in_file_order()
    {
        var c = H.Parse("b { y = 1, x = [1, 2] }\na = 2\n\"c.d\" = 3\ne {}");
        Assert.Equal(["b", "a", "c.d", "e"], c.Keys);
        Assert.Equal(["y", "x"], c.GetObject("b").Keys);
        Assert.Equal(["b.y", "b.x", "a", "\"c.d\""], c.Entries().Select(e => e.Key));
        Assert.Equal(["y", "x"], c.GetConfig("b").Keys);
    }

    [Fact]
    public void Unresolved_configs_refuse_reads_until_resolved()
    {
        var c = HoconParser.ParseUnresolved("a = 1\nb = ${a}");
        Assert.False(c.IsResolved);
        Assert.Throws<InvalidOperationException>(() => c.GetInt("a"));
        var resolved = c.Resolve(H.NoEnvironment);
        Assert.True(resolved.IsResolved);
        Assert.Equal(1, resolved.GetInt("b"));
        Assert.Same(resolved, resolved.Resolve());
    }

    [Fact]
    public void Public_arguments_are_validated()
    {
        var c = H.Parse("a = 1");
        Assert.Throws<ArgumentNullException>(() => c.GetInt(null!));
        Assert.Throws<ArgumentNullException>(() => c.WithFallback(null!));
        Assert.Throws<ArgumentNullException>(() => HoconParser.Parse(null!));
        Assert.Throws<ArgumentException>(() => HoconParser.ParseFile(""));
        Assert.Throws<FileNotFoundException>(() => HoconParser.ParseFile("/nonexistent/x.conf"));
        Assert.Throws<ArgumentException>(() => HoconScalar.Number("abc", ConfigOrigin.Named("t")));
    }
}
