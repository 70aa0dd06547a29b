namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Substitutions" and "Self-Referential Substitutions".</summary>
public sealed class SubstitutionTests
{
    [Fact]
    public void Substitutions_look_forward_to_the_final_value()
    {
        var c = H.Parse("a = ${b.c}\nb.c = 1\nb.c = 2");
        Assert.Equal(2, c.GetInt("a"));
    }

    [Fact]
    public void Objects_may_refer_to_paths_inside_themselves()
    {
        var c = H.Parse("bar : { foo : 42,\n baz : ${bar.foo}\n }");
        Assert.Equal(42, c.GetInt("bar.baz"));
    }

    [Fact]
    public void References_inside_an_object_see_later_overrides()
    {
        var c = H.Parse("bar : { foo : 42,\n baz : ${bar.foo}\n }\nbar : { foo : 43 }");
        Assert.Equal(43, c.GetInt("bar.baz"));
    }

    [Fact]
    public void Mutually_referring_objects_resolve()
    {
        var c = H.Parse("""
            bar : { a : ${foo.d}, b : 1 }
            bar.b = 3
            foo : { c : ${bar.b}, d : 2 }
            foo.d = 4
            """);
        Assert.Equal(4, c.GetInt("bar.a"));
        Assert.Equal(3, c.GetInt("foo.c"));
    }

    [Fact]
    public void Substitutions_in_list_elements_resolve()
    {
        Assert.Equal([1, 2, 3], H.Parse("x = 2\nl = [1, ${x}, 3]").GetIntList("l"));
    }

    [Fact]
    public void Undefined_optional_field_is_not_created_and_keeps_the_previous_value()
    {
        var c = H.Parse("a = ${?nope}\nb = 1\nb = ${?nope}\nl = [1, ${?nope}, 2]");
        Assert.False(c.HasPathOrNull("a"));
        Assert.Equal(1, c.GetInt("b"));
        Assert.Equal([1, 2], c.GetIntList("l"));
    }

    [Fact]
    public void Undefined_required_substitution_names_itself_and_where_it_was_written()
    {
        var e = H.ResolveError("x = 1\ny = ${nope.here}");
        Assert.Equal("test.conf", e.Origin!.Source);
        Assert.Equal((2, 5), (e.Origin.Line, e.Origin.Column));
        Assert.StartsWith("test.conf:2:5: could not resolve substitution ${nope.here}", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsCycle);
    }

    [Fact]
    public void Self_reference_appends_to_the_previous_value()
    {
        Assert.Equal("a:b:c:d", H.Parse("path : \"a:b:c\"\npath : ${path}\":d\"").GetString("path"));
        Assert.Equal(["/bin", "/usr/bin"], H.Parse("path = [ /bin ]\npath = ${path} [ /usr/bin ]").GetStringList("path"));
    }

    [Fact]
    public void Self_reference_to_an_object_sees_the_overridden_value()
    {
        var c = H.Parse("foo : { a : 1 }\nfoo : ${foo}");
        Assert.Equal(1, c.GetInt("foo.a"));
    }

    [Fact]
    public void Self_reference_without_an_earlier_value_is_an_error()
    {
        var e = H.ResolveError("foo : ${foo}");
        Assert.Contains("no earlier value", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 7), (e.Origin!.Line, e.Origin.Column));

        H.ResolveError("foo : ${foo}\nfoo : { a : 1 }");
    }

    [Fact]
    public void Optional_self_reference_without_an_earlier_value_disappears()
    {
        var c = H.Parse("foo : ${?foo}\na = ${?a}foo");
        Assert.False(c.HasPathOrNull("foo"));
        Assert.Equal("foo", c.GetString("a"));
    }

    [Fact]
    public void Hidden_substitutions_are_never_evaluated()
    {
        Assert.Equal(42, H.Parse("foo : ${does-not-exist}\nfoo : 42").GetInt("foo"));
        Assert.Equal(42, H.Parse("foo : ${foo}\nfoo : 42").GetInt("foo"));
    }

    [Fact]
    public void Self_reference_through_a_path_looks_below()
    {
        var c = H.Parse("foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }");
        Assert.Equal(2, c.GetInt("foo.a"));
        Assert.Equal(1, c.GetInt("foo.c"));
    }

    [Fact]
    public void A_later_reader_sees_the_self_referenced_final_value()
    {
        var c = H.Parse("bar : ${foo}\nfoo : [1, 2]\nfoo : ${foo} [3]");
        Assert.Equal([1, 2, 3], c.GetIntList("bar"));
    }

    [Fact]
    public void Self_reference_inside_a_nested_object_field()
    {
        var c = H.Parse("a { x = 1 }\na { x = ${a.x} 2 }");
        Assert.Equal("1 2", c.GetString("a.x"));
    }

    [Fact]
    public void Plus_equals_appends_and_may_be_the_first_mention()
    {
        var c = H.Parse("""
            a += x
            b = [1]
            b += 2
            b += [3]
            n { list += 1, list += 2 }
            o += { k = v }
            """);
        Assert.Equal(["x"], c.GetStringList("a"));
        var b = c.GetList("b");
        Assert.Equal(3, b.Count);
        Assert.Equal(["1", "2"], b.Take(2).Select(v => ((HoconScalar)v).Text));
        Assert.Equal(HoconValueType.List, b[2].Type);
        Assert.Equal([1, 2], c.GetIntList("n.list"));
        Assert.Equal("v", c.GetConfigList("o")[0].GetString("k"));
    }

    [Fact]
    public void Plus_equals_on_a_non_list_is_an_error()
    {
        var e = H.ResolveError("a = 5\na += 1");
        Assert.Contains("cannot concatenate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_field_cycle_is_detected_and_named()
    {
        var e = H.ResolveError("bar : ${foo}\nfoo : ${bar}");
        Assert.True(e.IsCycle);
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
        Assert.Contains("${foo} (test.conf:1:7)", e.Message, StringComparison.Ordinal);
        Assert.Contains("${bar} (test.conf:2:7)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_field_cycle_is_detected()
    {
        var e = H.ResolveError("a : ${b}\nb : ${c}\nc : ${a}");
        Assert.True(e.IsCycle);
        foreach (var s in new[] { "${a}", "${b}", "${c}" })
        {
            Assert.Contains(s, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("a : { b : ${a} }")]
    [InlineData("a : [${a}]")]
    [InlineData("bar : { foo : 42, baz : ${bar} }")]
    [InlineData("a : { b : ${a.c}, c : ${a.b} }")]
    public void Object_and_list_self_containment_is_an_unbreakable_cycle(string text)
    {
        Assert.True(H.ResolveError(text).IsCycle);
    }

    [Fact]
    public void Cycle_broken_by_looking_back_gives_both_fields_the_same_value()
    {
        var c = H.Parse("a : 1\nb : 2\na : ${b}\nb : ${a}");
        Assert.Equal(c.GetInt("a"), c.GetInt("b"));
        Assert.Contains(c.GetInt("a"), new[] { 1, 2 });
    }

    [Fact]
    public void Optional_substitutions_in_a_cycle_count_as_missing()
    {
        var c = H.Parse("a = ${?b}\nb = ${?a}\nl = [${?l}]");
        Assert.False(c.HasPathOrNull("a"));
        Assert.False(c.HasPathOrNull("b"));
        Assert.Empty(c.GetList("l"));
    }

    [Fact]
    public void Substitution_into_a_concatenated_object_can_read_its_siblings()
    {
        var c = H.Parse("base = { x = 1 }\na = ${base} { y = ${a.x} }");
        Assert.Equal(1, c.GetInt("a.y"));
    }

    [Fact]
    public void Null_in_the_config_is_found_and_blocks_the_environment()
    {
        var name = UniqueName();
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            var c = HoconParser.Parse($"{name} = null\nv = ${{{name}}}");
            Assert.Equal(HoconValueType.Null, c.GetValue("v").Type);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Required_and_optional_substitutions_fall_back_to_the_environment()
    {
        var name = UniqueName();
        Environment.SetEnvironmentVariable(name, "42");
        try
        {
            var c = HoconParser.Parse($"a = ${{{name}}}\nb = ${{?{name}}}\nc = \"n=\"${{{name}}}");
            Assert.Equal(42, c.GetInt("a"));
            Assert.Equal("42", c.GetString("b"));
            Assert.Equal(HoconValueType.String, c.GetValue("a").Type);
            Assert.Equal("n=42", c.GetString("c"));
            Assert.Equal($"environment variable {name}", c.GetOrigin("a").Source);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Self_reference_with_no_earlier_value_reads_the_environment()
    {
        var name = UniqueName();
        Environment.SetEnvironmentVariable(name, "/usr/bin");
        try
        {
            var c = HoconParser.Parse($"{name} = ${{{name}}}\":/opt/bin\"\nother = ${{?{name}}}");
            Assert.Equal("/usr/bin:/opt/bin", c.GetString(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Missing_environment_variable_leaves_optional_undefined_and_required_failing()
    {
        var name = UniqueName();
        Assert.False(HoconParser.Parse($"a = ${{?{name}}}").HasPathOrNull("a"));
        var e = Assert.Throws<HoconResolveException>(() => HoconParser.Parse($"a = ${{{name}}}"));
        Assert.Contains($"no environment variable '{name}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Injected_environment_is_used_instead_of_the_process_one()
    {
        var c = H.Parse("a = ${HOME}", env: n => n == "HOME" ? "/home/test" : null);
        Assert.Equal("/home/test", c.GetString("a"));
    }

    [Fact]
    public void Substitutions_are_not_parsed_inside_quotes()
    {
        Assert.Equal("${x}", H.Parse("a = \"${x}\"").GetString("a"));
    }

    [Fact]
    public void Whitespace_inside_substitution_braces_is_trimmed()
    {
        Assert.Equal(1, H.Parse("a.b = 1\nc = ${ a.b }").GetInt("c"));
    }

    private static string UniqueName() => "HOCON_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
}
