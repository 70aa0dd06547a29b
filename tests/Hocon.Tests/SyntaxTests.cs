namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Syntax": comments, braces, separators, commas, whitespace, strings, numbers.</summary>
public sealed class SyntaxTests
{
    [Fact]
    public void Comments_with_hash_and_double_slash_are_ignored_but_not_inside_quotes()
    {
        var c = H.Parse("""
            # a comment
            a = 1 // trailing comment
            b = "not // a comment" # comment
            c = "# not a comment either"
            // d = 4
            """);
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal("not // a comment", c.GetString("b"));
        Assert.Equal("# not a comment either", c.GetString("c"));
        Assert.False(c.HasPath("d"));
    }

    [Fact]
    public void Root_braces_are_optional()
    {
        var braced = H.Parse("{ a = 1, b { c = 2 } }");
        var bare = H.Parse("a = 1, b { c = 2 }");
        Assert.Equal(braced.ToJson(), bare.ToJson());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n  ")]
    [InlineData("# only a comment\n// and another")]
    [InlineData("{}")]
    public void Empty_documents_are_empty_objects(string text)
    {
        Assert.Empty(H.Parse(text).Root);
    }

    [Fact]
    public void Equals_colon_and_brace_without_separator_all_define_fields()
    {
        var c = H.Parse("a = 1\nb : 2\nc { d = 3 }\ne : { f = 4 }");
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal(2, c.GetInt("b"));
        Assert.Equal(3, c.GetInt("c.d"));
        Assert.Equal(4, c.GetInt("e.f"));
    }

    [Theory]
    [InlineData("l = [1,2,3,]")]
    [InlineData("l = [1\n2\n3]")]
    [InlineData("l = [1,\n2,\n3]")]
    [InlineData("l = [\n  1\n  ,2\n  ,3\n]")]
    [InlineData("l = [1,2,3]")]
    public void List_separators_commas_newlines_and_one_trailing_comma(string text)
    {
        Assert.Equal([1, 2, 3], H.Parse(text).GetIntList("l"));
    }

    [Theory]
    [InlineData("l = [1,2,3,,]")]
    [InlineData("l = [,1,2,3]")]
    [InlineData("l = [1,,2,3]")]
    [InlineData("a = 1,,b = 2")]
    [InlineData("{ , a = 1 }")]
    [InlineData("a = 1,\n,b = 2")]
    public void Invalid_comma_placements_are_errors(string text)
    {
        H.ParseError(text);
    }

    [Fact]
    public void Fields_separated_by_commas_newlines_or_trailing_comma()
    {
        var c = H.Parse("{ a = 1, b = 2,\n c = 3\n d = 4, }");
        Assert.Equal([1, 2, 3, 4], new[] { "a", "b", "c", "d" }.Select(c.GetInt));
    }

    [Fact]
    public void Valid_json_parses_to_the_same_values()
    {
        var json = """
            {
              "name": "x\ty\u00e9\"\\\/",
              "n": -12.5e-1,
              "i": 42,
              "flag": false,
              "nothing": null,
              "nested": { "list": [1, "two", [3], {"four": 4}] }
            }
            """;
        var c = H.Parse(json);
        Assert.Equal("x\tyé\"\\/", c.GetString("name"));
        Assert.Equal(-1.25, c.GetDouble("n"));
        Assert.Equal(42, c.GetInt("i"));
        Assert.False(c.GetBoolean("flag"));
        Assert.Equal(HoconValueType.Null, c.GetValue("nothing").Type);
        var list = c.GetList("nested.list");
        Assert.Equal(4, list.Count);
        Assert.Equal(HoconValueType.List, list[2].Type);
        Assert.Equal(HoconValueType.Object, list[3].Type);
    }

    [Fact]
    public void Json_whitespace_including_newlines_is_allowed_around_colons()
    {
        var c = H.Parse("{\n\"a\"\n:\n1\n}");
        Assert.Equal(1, c.GetInt("a"));
    }

    [Fact]
    public void Unquoted_strings_keep_inner_whitespace_and_drop_outer()
    {
        var c = H.Parse("a =   foo bar   baz   \nb = /usr/local/bin");
        Assert.Equal("foo bar   baz", c.GetString("a"));
        Assert.Equal("/usr/local/bin", c.GetString("b"));
    }

    [Theory]
    [InlineData("a = truefoo", "truefoo")]
    [InlineData("a = footrue", "footrue")]
    [InlineData("a = 10.0bar", "10.0bar")]
    [InlineData("a = bar10.0", "bar10.0")]
    [InlineData("a = true foo", "true foo")]
    [InlineData("a = nullable", "nullable")]
    [InlineData("a = 1.2.3", "1.2.3")]
    [InlineData("a = 10s", "10s")]
    [InlineData("a = include", "include")]
    public void Keywords_and_numbers_only_count_when_initial_and_alone(string text, string expected)
    {
        var value = H.Parse(text).GetValue("a");
        Assert.Equal(HoconValueType.String, value.Type);
        Assert.Equal(expected, ((HoconScalar)value).Text);
    }

    [Theory]
    [InlineData("a = true", HoconValueType.Boolean)]
    [InlineData("a = false", HoconValueType.Boolean)]
    [InlineData("a = null", HoconValueType.Null)]
    [InlineData("a = 12", HoconValueType.Number)]
    [InlineData("a = -0.5e3", HoconValueType.Number)]
    [InlineData("a = \"12\"", HoconValueType.String)]
    [InlineData("a = \"true\"", HoconValueType.String)]
    public void Single_values_keep_their_type(string text, HoconValueType type)
    {
        Assert.Equal(type, H.Parse(text).GetValue("a").Type);
    }

    [Fact]
    public void Quoted_strings_support_every_json_escape()
    {
        var c = H.Parse("""a = "q\" b\\ s\/ \b\f\n\r\t \u0041\u00DF" """);
        Assert.Equal("q\" b\\ s/ \b\f\n\r\t Aß", c.GetString("a"));
    }

    [Fact]
    public void Triple_quoted_strings_keep_newlines_and_backslashes_verbatim()
    {
        var c = H.Parse("a = \"\"\"line one\n  line \"two\" \\n\n\"\"\"");
        Assert.Equal("line one\n  line \"two\" \\n\n", c.GetString("a"));
    }

    [Fact]
    public void Triple_quoted_strings_give_extra_closing_quotes_to_the_string()
    {
        Assert.Equal("foo\"", H.Parse("a = \"\"\"foo\"\"\"\"").GetString("a"));
        Assert.Equal("foo\"\"", H.Parse("a = \"\"\"foo\"\"\"\"\"").GetString("a"));
    }

    [Fact]
    public void Numbers_keep_their_written_form_in_concatenation()
    {
        var c = H.Parse("a = 1e5\nb = 1e5 apples\nc = 0.50 kg");
        Assert.Equal(100000d, c.GetDouble("a"));
        Assert.Equal("1e5 apples", c.GetString("b"));
        Assert.Equal("0.50 kg", c.GetString("c"));
    }

    [Fact]
    public void Nonbreaking_space_bom_and_unicode_separators_are_whitespace()
    {
        var c = H.Parse("\uFEFFa\u00A0=\u2007foo\u00A0bar\u202F\nb\t=\u000B2");
        Assert.Equal("foo\u00A0bar", c.GetString("a"));
        Assert.Equal(2, c.GetInt("b"));
    }

    [Fact]
    public void Windows_line_endings_are_newlines()
    {
        var c = H.Parse("a = 1\r\nb = two words\r\nc = [1\r\n2]\r\n");
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal("two words", c.GetString("b"));
        Assert.Equal([1, 2], c.GetIntList("c"));
    }
}
