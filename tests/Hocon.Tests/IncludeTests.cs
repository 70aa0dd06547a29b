namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Includes", on real files in temporary directories.</summary>
public sealed class IncludeTests
{
    private static Config ParseFile(string path) =>
        HoconParser.ParseFile(path, new HoconParseOptions { Environment = H.NoEnvironment });

    [Fact]
    public void Relative_includes_are_found_next_to_the_including_file_not_the_working_directory()
    {
        using var dir = new TempDir();
        var main = dir.Write("conf/main.conf", "include \"base.conf\"\nb = 2");
        dir.Write("conf/base.conf", "a = 1");
        dir.Write("base.conf", "a = wrong");
        var c = ParseFile(main);
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal(2, c.GetInt("b"));
    }

    [Fact]
    public void Nested_includes_are_relative_to_the_file_that_includes_them()
    {
        using var dir = new TempDir();
        var main = dir.Write("main.conf", "include \"sub/one.conf\"");
        dir.Write("sub/one.conf", "include \"two.conf\"\none = 1");
        dir.Write("sub/two.conf", "two = 2");
        var c = ParseFile(main);
        Assert.Equal(1, c.GetInt("one"));
        Assert.Equal(2, c.GetInt("two"));
        Assert.EndsWith("two.conf", c.GetOrigin("two").Source, StringComparison.Ordinal);
    }

    [Fact]
    public void File_syntax_and_absolute_paths_are_supported()
    {
        using var dir = new TempDir();
        var other = dir.Write("elsewhere/x.conf", "x = 1");
        var main = dir.Write("main.conf", $"include file(\"{other}\")\ninclude file( \"y.conf\" )");
        dir.Write("y.conf", "y = 2");
        var c = ParseFile(main);
        Assert.Equal(1, c.GetInt("x"));
        Assert.Equal(2, c.GetInt("y"));
    }

    [Fact]
    public void Missing_includes_are_ignored_unless_required()
    {
        using var dir = new TempDir();
        var lenient = dir.Write("a.conf", "include \"missing.conf\"\na = 1");
        Assert.Equal(1, ParseFile(lenient).GetInt("a"));

        var strict = dir.Write("b.conf", "a = 1\ninclude required(\"missing.conf\")");
        var e = Assert.Throws<HoconParseException>(() => ParseFile(strict));
        Assert.Contains("required include 'missing.conf' was not found", e.Message, StringComparison.Ordinal);
        Assert.Equal((2, 18), (e.Origin!.Line, e.Origin.Column));
    }

    [Fact]
    public void Required_file_includes_that_exist_are_loaded()
    {
        using var dir = new TempDir();
        dir.Write("x.conf", "x = 1");
        var main = dir.Write("main.conf", "include required(file(\"x.conf\"))\ninclude required( \"x.conf\" )");
        Assert.Equal(1, ParseFile(main).GetInt("x"));
    }

    [Theory]
    [InlineData("include url(\"http://example.com/a.conf\")")]
    [InlineData("include classpath(\"a.conf\")")]
    [InlineData("include \"https://example.com/a.conf\"")]
    public void Url_and_classpath_includes_are_rejected_clearly(string text)
    {
        var e = H.ParseError(text);
        Assert.Contains("not supported", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("include foo")]
    [InlineData("include file(foo)")]
    [InlineData("include file(\"a\"")]
    [InlineData("include required(required(\"a\"))")]
    [InlineData("include = 5")]
    [InlineData("include{ }")]
    public void Malformed_include_statements_are_errors(string text)
    {
        H.ParseError(text);
    }

    [Fact]
    public void Included_keys_merge_in_statement_order()
    {
        using var dir = new TempDir();
        dir.Write("inc.conf", "a = from-include\nb = from-include\nobj { y = 2 }");
        var main = dir.Write("main.conf", "a = before\nobj { x = 1 }\ninclude \"inc.conf\"\nb = after");
        var c = ParseFile(main);
        Assert.Equal("from-include", c.GetString("a"));
        Assert.Equal("after", c.GetString("b"));
        Assert.Equal(1, c.GetInt("obj.x"));
        Assert.Equal(2, c.GetInt("obj.y"));
    }

    [Fact]
    public void Substitutions_in_included_files_are_fixed_up_to_where_they_are_included()
    {
        using var dir = new TempDir();
        dir.Write("foo.conf", "x : 10, y : ${x}, z : ${top}");
        var plain = dir.Write("plain.conf", "top = 7\na : { include \"foo.conf\" }");
        var c = ParseFile(plain);
        Assert.Equal(10, c.GetInt("a.y"));
        Assert.Equal(7, c.GetInt("a.z"));

        var overriding = dir.Write("over.conf", "top = 7\na : { include \"foo.conf\" }\na : { x : 42 }");
        Assert.Equal(42, ParseFile(overriding).GetInt("a.y"));
    }

    [Fact]
    public void Plus_equals_in_an_included_file_appends_to_the_including_path()
    {
        using var dir = new TempDir();
        dir.Write("more.conf", "list += 3");
        var main = dir.Write("main.conf", "outer { list = [1, 2]\n include \"more.conf\" }");
        Assert.Equal([1, 2, 3], ParseFile(main).GetIntList("outer.list"));
    }

    [Fact]
    public void Names_without_extension_load_properties_json_and_conf_with_conf_winning()
    {
        using var dir = new TempDir();
        dir.Write("app.properties", "a = props\nb = props\nc.d = props");
        dir.Write("app.json", "{ \"b\": \"json\", \"c\": { \"e\": 1 } }");
        dir.Write("app.conf", "c.d = conf");
        var main = dir.Write("main.conf", "include \"app\"");
        var c = ParseFile(main);
        Assert.Equal("props", c.GetString("a"));
        Assert.Equal("json", c.GetString("b"));
        Assert.Equal("conf", c.GetString("c.d"));
        Assert.Equal(1, c.GetInt("c.e"));
    }

    [Fact]
    public void Required_name_without_extension_lists_what_was_tried()
    {
        var e = H.ParseError("include required(\"nothing-here\")");
        Assert.Contains("nothing-here.properties, nothing-here.json, nothing-here.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_files_map_dotted_keys_to_string_values_with_objects_winning()
    {
        using var dir = new TempDir();
        dir.Write("p.properties", "# comment\n! also comment\na=hello\na.b=world\nn = 5\nlong = one \\\n  two\nesc = tab\\there\nkey\\ with\\ space: v\n");
        var c = ParseFile(dir.Write("main.conf", "include \"p.properties\""));
        Assert.Equal("world", c.GetString("a.b"));
        Assert.Equal(HoconValueType.String, c.GetValue("n").Type);
        Assert.Equal(5, c.GetInt("n"));
        Assert.Equal("one two", c.GetString("long"));
        Assert.Equal("tab\there", c.GetString("esc"));
        Assert.Equal("v", c.GetString("\"key with space\""));
    }

    [Fact]
    public void Included_file_with_a_list_root_is_an_error()
    {
        using var dir = new TempDir();
        dir.Write("list.conf", "[1, 2]");
        var e = Assert.Throws<HoconParseException>(() => ParseFile(dir.Write("main.conf", "include \"list.conf\"")));
        Assert.Contains("expected an object at the root", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("list.conf", e.Origin!.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_cycles_are_detected()
    {
        using var dir = new TempDir();
        dir.Write("a.conf", "include \"b.conf\"");
        dir.Write("b.conf", "include \"a.conf\"");
        var e = Assert.Throws<HoconParseException>(() => ParseFile(Path.Combine(dir.Path, "a.conf")));
        Assert.Contains("include cycle: a.conf -> b.conf -> a.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_inside_included_files_name_that_file_and_position()
    {
        using var dir = new TempDir();
        var inc = dir.Write("bad.conf", "ok = 1\nbroken = [1, 2");
        var e = Assert.Throws<HoconParseException>(() => ParseFile(dir.Write("main.conf", "include \"bad.conf\"")));
        Assert.Equal(inc, e.Origin!.Source);
        Assert.Equal((2, 15), (e.Origin.Line, e.Origin.Column));
    }

    [Fact]
    public void Include_may_be_followed_by_newlines_before_the_name()
    {
        var resolver = new MemoryResolver(("x.conf", "x = 1"));
        var c = HoconParser.Parse("include\n\n  \"x.conf\"", "main.conf", resolver);
        Assert.Equal(1, c.GetInt("x"));
    }

    [Fact]
    public void Custom_resolvers_supply_included_text()
    {
        var resolver = new MemoryResolver(("base.conf", "greeting = hello, target = world"), ("main.conf", ""));
        var c = HoconParser.Parse("include \"base.conf\"\nmessage = ${greeting} ${target}", "main.conf", resolver);
        Assert.Equal("hello world", c.GetString("message"));
        Assert.Equal(new ConfigOrigin("base.conf", 1, 12), c.GetOrigin("greeting"));
    }

    private sealed class MemoryResolver(params (string Name, string Text)[] files) : IIncludeResolver
    {
        public IncludedText? TryRead(string name, string? includingSource) =>
            files.Where(f => f.Name == name).Select(f => new IncludedText(f.Name, f.Text)).FirstOrDefault();

        public string Identify(IncludedText included) => included.Source;
    }
}
