namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Config object merging and file merging", resolution after merging, and --set overrides.</summary>
public sealed class FallbackTests
{
    private static Config U(string text, string file = "test.conf") => HoconParser.ParseUnresolved(text, file);

    [Fact]
    public void Primary_values_win_and_objects_merge()
    {
        var app = H.Parse("a = app\nobj { x = app }");
        var reference = H.Parse("a = ref\nb = ref\nobj { x = ref, y = ref }");
        var c = app.WithFallback(reference);
        Assert.True(c.IsResolved);
        Assert.Equal("app", c.GetString("a"));
        Assert.Equal("ref", c.GetString("b"));
        Assert.Equal("app", c.GetString("obj.x"));
        Assert.Equal("ref", c.GetString("obj.y"));
    }

    [Fact]
    public void A_non_object_between_two_objects_hides_the_lower_one()
    {
        var first = H.Parse("a : { x : 1 }");
        var number = H.Parse("a : 42");
        var second = H.Parse("a : { y : 2 }");
        var hidden = first.WithFallback(number).WithFallback(second);
        Assert.Equal(["x"], hidden.GetObject("a").Keys);

        var adjacent = first.WithFallback(second).WithFallback(number);
        Assert.Equal(["y", "x"], adjacent.GetObject("a").Keys.OrderDescending());
        Assert.Equal(1, adjacent.GetInt("a.x"));
        Assert.Equal(2, adjacent.GetInt("a.y"));
    }

    [Fact]
    public void Substitutions_resolve_against_the_merged_tree()
    {
        var reference = U("name = world\ngreeting = \"hello \"${name}\nsize = ${base}\nbase = 1", "reference.conf");
        var app = U("name = you\nbase = 5", "app.conf");
        var c = app.WithFallback(reference).Resolve(H.NoEnvironment);
        Assert.Equal("hello you", c.GetString("greeting"));
        Assert.Equal(5, c.GetInt("size"));
        Assert.Equal("reference.conf", c.GetOrigin("greeting").Source);
        Assert.Equal("app.conf", c.GetOrigin("size").Source);
    }

    [Fact]
    public void Self_references_reach_into_the_fallback()
    {
        var reference = U("path = [a]");
        var app = U("path = ${path} [b]");
        Assert.Equal(["a", "b"], app.WithFallback(reference).Resolve().GetStringList("path"));
    }

    [Fact]
    public void Combining_with_an_unresolved_config_stays_unresolved()
    {
        var c = H.Parse("a = 1").WithFallback(U("b = ${a}"));
        Assert.False(c.IsResolved);
        Assert.Equal(1, c.Resolve().GetInt("b"));
    }

    [Fact]
    public void Overrides_parse_values_as_hocon_and_win()
    {
        var c = H.Parse("decentral.sgd { iterations = 10, rate = 0.1 }\nname = x")
            .WithOverrides(["decentral.sgd.iterations=100", "list = [1, 2]", "name=\"foo bar\"", "obj.inner = { k = v }"]);
        Assert.Equal(100, c.GetInt("decentral.sgd.iterations"));
        Assert.Equal(0.1, c.GetDouble("decentral.sgd.rate"));
        Assert.Equal([1, 2], c.GetIntList("list"));
        Assert.Equal("foo bar", c.GetString("name"));
        Assert.Equal("v", c.GetString("obj.inner.k"));
        Assert.Equal(new ConfigOrigin("--set[1]", 1, 26), c.GetOrigin("decentral.sgd.iterations"));
    }

    [Fact]
    public void Later_overrides_win_over_earlier_ones()
    {
        Assert.Equal(3, H.Parse("a = 1").WithOverrides(["a=2", "a=3"]).GetInt("a"));
    }

    [Fact]
    public void Overrides_on_an_unresolved_config_flow_into_substitutions()
    {
        var c = U("rate = 1\nscaled = ${rate}").WithOverrides(["rate = 2"], H.NoEnvironment);
        Assert.Equal(2, c.GetInt("scaled"));
    }

    [Fact]
    public void Override_values_may_refer_to_the_config()
    {
        Assert.Equal("x-suffix", H.Parse("base = x").WithOverrides(["name = ${base}-suffix"]).GetString("name"));
    }

    [Theory]
    [InlineData("novalue", "expected '=' or ':' after key 'novalue'")]
    [InlineData("a=[1,", "expected ']' to close the list")]
    [InlineData("  ", "empty override")]
    public void Malformed_overrides_name_the_override(string assignment, string expected)
    {
        var e = Assert.Throws<HoconParseException>(() => H.Parse("a = 1").WithOverrides(["a = 2", assignment]));
        Assert.Equal("--set[2]", e.Origin!.Source);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

/// <summary>Settings that name files resolve relative to the file they were written in.</summary>
public sealed class FilePathTests
{
    [Fact]
    public void Relative_paths_follow_the_defining_file_and_overrides_follow_the_working_directory()
    {
        using var dir = new TempDir();
        dir.Write("conf/inner/data.conf", "data = ../../data/set.libsvm\nabs = /srv/x.csv");
        var main = dir.Write("conf/main.conf", "include \"inner/data.conf\"\nlocal = here.csv");
        var c = HoconParser.ParseFile(main);
        Assert.Equal(Path.Combine(dir.Path, "data", "set.libsvm"), c.GetFilePath("data"));
        Assert.Equal(Path.Combine(dir.Path, "conf", "here.csv"), c.GetFilePath("local"));
        Assert.Equal("/srv/x.csv", c.GetFilePath("abs"));

        var overridden = c.WithOverrides(["local = other.csv"]);
        Assert.Equal(Path.GetFullPath("other.csv"), overridden.GetFilePath("local"));
    }

    [Fact]
    public void Parsed_overrides_compose_as_the_top_layer()
    {
        var overrides = Config.ParseOverrides(["a = 2", "b = ${a}"]);
        Assert.False(overrides.IsResolved);
        var c = overrides.WithFallback(HoconParser.ParseUnresolved("a = 1\nc = ${a}")).Resolve(H.NoEnvironment);
        Assert.Equal(2, c.GetInt("b"));
        Assert.Equal(2, c.GetInt("c"));
        Assert.Same(Config.Empty, Config.ParseOverrides([]));
    }
}
