namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Path expressions" and "Paths as keys".</summary>
public sealed class PathTests
{
    private static IReadOnlyList<string> KeysOfOnlyPath(string text)
    {
        // Walk the single chain of nested objects the key creates.
        var keys = new List<string>();
        HoconValue node = H.Parse(text).Root;
        while (node is HoconObject { Count: 1 } obj)
        {
            var (key, value) = obj.First();
            keys.Add(key);
            node = value;
        }

        return keys;
    }

    [Theory]
    [InlineData("foo.bar.baz = 1", new[] { "foo", "bar", "baz" })]
    [InlineData("foo.bar.\"hello.world\" = 1", new[] { "foo", "bar", "hello.world" })]
    [InlineData("\"a.b\".c = 1", new[] { "a.b", "c" })]
    [InlineData("a.\"\".b = 1", new[] { "a", "", "b" })]
    [InlineData("10.0foo = 1", new[] { "10", "0foo" })]
    [InlineData("foo10.0 = 1", new[] { "foo10", "0" })]
    [InlineData("foo\"10.0\" = 1", new[] { "foo10.0" })]
    [InlineData("1.2.3 = 1", new[] { "1", "2", "3" })]
    [InlineData("true : 1", new[] { "true" })]
    [InlineData("3 : 1", new[] { "3" })]
    [InlineData("3.14 : 1", new[] { "3", "14" })]
    [InlineData("a b c : 1", new[] { "a b c" })]
    [InlineData("foo include : 1", new[] { "foo include" })]
    [InlineData("\"include\" : 1", new[] { "include" })]
    public void Keys_are_path_expressions(string text, string[] expected)
    {
        Assert.Equal(expected, KeysOfOnlyPath(text));
    }

    [Theory]
    [InlineData("a..b = 1")]
    [InlineData(".a = 1")]
    [InlineData("a. = 1")]
    public void Empty_path_elements_must_be_quoted(string text)
    {
        var e = H.ParseError(text);
        Assert.Contains("invalid path", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Origin!.Line);
        Assert.Equal(1, e.Origin.Column);
    }

    [Fact]
    public void Dotted_keys_merge_like_nested_objects()
    {
        var dotted = H.Parse("a.x : 42, a.y : 43");
        var nested = H.Parse("a { x : 42, y : 43 }");
        Assert.Equal(nested.ToJson(), dotted.ToJson());
    }

    [Fact]
    public void Getters_take_path_expressions_with_quoted_keys()
    {
        var c = H.Parse("\"a.b\" { c = 1 }\nx { \"\" = 2 }");
        Assert.Equal(1, c.GetInt("\"a.b\".c"));
        Assert.Equal(2, c.GetInt("x.\"\""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a{")]
    [InlineData("${a}")]
    public void Invalid_path_arguments_are_argument_errors(string path)
    {
        var c = H.Parse("a = 1");
        var e = Assert.Throws<ArgumentException>(() => c.GetInt(path));
        Assert.Equal("expression", e.ParamName);
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a.b", "\"a.b\"")]
    [InlineData("", "\"\"")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("include", "\"include\"")]
    [InlineData("42", "42")]
    [InlineData("4x", "\"4x\"")]
    [InlineData("learning-rate", "learning-rate")]
    public void Keys_render_bare_or_quoted_and_parse_back(string key, string rendered)
    {
        Assert.Equal(rendered, HoconPath.RenderKey(key));
        Assert.Equal([key], HoconPath.Parse(rendered).Elements);
    }
}
