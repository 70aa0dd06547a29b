namespace Decentral.Hocon.Tests;

/// <summary>Parse errors carry file, line and column of the offending token and say what was expected.</summary>
public sealed class ErrorPositionTests
{
    [Fact]
    public void Missing_separator_after_a_key()
    {
        var e = H.ParseError("decentral {\n  sgd {\n    iterations }\n  }\n}", "local.conf");
        Assert.Equal("local.conf:3:16: expected '=' or ':' after key 'iterations', found '}'", e.Message);
    }

    [Fact]
    public void Bare_word_on_its_own_line_reports_the_end_of_that_line()
    {
        var e = H.ParseError("a = 1\nfoo\nb = 2");
        Assert.Equal("test.conf:2:4: expected '=' or ':' after key 'foo', found end of line", e.Message);
    }

    [Theory]
    [InlineData("a = \"abc", 1, 5, "unterminated quoted string")]
    [InlineData("a = 1\nb = \"\"\"never closed", 2, 5, "unterminated triple-quoted string")]
    [InlineData("a = \"x\\q\"", 1, 7, "invalid escape '\\q'")]
    [InlineData("a = \"\\u12\"", 1, 6, "invalid \\u escape")]
    [InlineData("a = b^c", 1, 6, "reserved character '^'")]
    [InlineData("a = b+c", 1, 6, "'+'")]
    [InlineData("a = $b", 1, 5, "unexpected '$'")]
    [InlineData("a {\n  b = 1\n", 3, 1, "expected '}' to close the object opened at 1:3, found end of file")]
    [InlineData("a = [1,\n 2", 2, 3, "expected ']' to close the list opened at 1:5")]
    [InlineData("a = 1\n}", 2, 1, "unbalanced '}'")]
    [InlineData("a = 1,\n  ,b = 2", 2, 3, "two commas in a row")]
    [InlineData("a =\n}", 2, 1, "expected a value after 'a =', found '}'")]
    [InlineData("a = 1 b = 2", 1, 9, "expected ',' or a newline after the value of 'a', found '='")]
    [InlineData("[1, 2]", 1, 1, "expected an object at the root")]
    [InlineData("{ a = 1 } b = 2", 1, 11, "expected end of file after the root object")]
    [InlineData("a = ${b", 1, 8, "unterminated substitution")]
    [InlineData("a = ${}", 1, 5, "empty substitution")]
    [InlineData("a = ${b[0]}", 1, 8, "unexpected '[' in substitution path")]
    [InlineData("${a} = 1", 1, 1, "substitutions are not allowed in keys")]
    [InlineData("\ta\t=\t\"\\x\"", 1, 7, "invalid escape")]
    [InlineData("a = 1\r\nb = \"x\r\n", 2, 5, "unterminated quoted string")]
    [InlineData("a = \"tab\there\"", 1, 9, "control character U+0009")]
    public void Errors_point_at_the_offending_token(string text, int line, int column, string expected)
    {
        var e = H.ParseError(text);
        Assert.Equal("test.conf", e.Origin!.Source);
        Assert.Equal((line, column), (e.Origin.Line, e.Origin.Column));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"test.conf:{line}:{column}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_without_a_file_name_is_reported_as_string_source()
    {
        var e = Assert.Throws<HoconParseException>(() => HoconParser.Parse("a = [", fileName: null));
        Assert.StartsWith("<string>:1:6: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_remember_file_line_and_column()
    {
        var c = H.Parse("a {\n  b = 42\n  c = [1,\n       2]\n}\nd.e = x y", "origin.conf");
        Assert.Equal(new ConfigOrigin("origin.conf", 2, 7), c.GetOrigin("a.b"));
        Assert.Equal(new ConfigOrigin("origin.conf", 3, 7), c.GetOrigin("a.c"));
        Assert.Equal(new ConfigOrigin("origin.conf", 4, 8), c.GetList("a.c")[1].Origin);
        Assert.Equal(new ConfigOrigin("origin.conf", 6, 7), c.GetOrigin("d.e"));
        Assert.Equal("origin.conf:2:7", c.GetOrigin("a.b").ToString());
    }

    [Fact]
    public void Substituted_values_keep_the_origin_of_their_definition()
    {
        var c = H.Parse("x = 5\ny = ${x}");
        Assert.Equal(new ConfigOrigin("test.conf", 1, 5), c.GetOrigin("y"));
    }
}

/// <summary>Common mistakes get a hint beyond the position.</summary>
public sealed class ErrorHintTests
{
    [Fact]
    public void Unclosed_list_followed_by_a_field_points_at_the_list()
    {
        var e = H.ParseError("a = [1, 2\nb = 3");
        Assert.Equal("test.conf:2:3: expected ',' or ']' after a list element, found '='; is the list opened at 1:5 missing its ']'?", e.Message);
    }

    [Fact]
    public void Unquoted_colon_in_a_value_suggests_quoting()
    {
        var e = H.ParseError("url = http://example.com");
        Assert.Equal("test.conf:1:11: expected ',' or a newline after the value of 'url', found ':' (put text containing ':' or '=' in quotes)", e.Message);
    }
}
