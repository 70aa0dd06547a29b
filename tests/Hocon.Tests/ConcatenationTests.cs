namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Value concatenation": strings, lists and objects.</summary>
public sealed class ConcatenationTests
{
    [Fact]
    public void Whitespace_without_commas_concatenates_list_elements()
    {
        var c = H.Parse("a = [ 1 2 3 4 ]\nb = [ 1\n 2\n 3\n 4 ]\nc = [ [ 1, 2 ] [ 3, 4 ] ]\nd = [ [ 1, 2 ]\n [ 3, 4 ] ]");
        Assert.Equal(["1 2 3 4"], c.GetStringList("a"));
        Assert.Equal([1, 2, 3, 4], c.GetIntList("b"));
        var single = Assert.Single(c.GetList("c"));
        Assert.Equal(4, ((HoconList)single).Count);
        Assert.Equal(2, c.GetList("d").Count);
    }

    [Fact]
    public void Objects_concatenate_by_merging()
    {
        var a = H.Parse("a : { b : 1, c : 2 }");
        Assert.Equal(a.ToJson(), H.Parse("a : { b : 1 } { c : 2 }").ToJson());
        Assert.Equal(a.ToJson(), H.Parse("a : { b : 1 }\na : { c : 2 }").ToJson());
        Assert.Equal(2, H.Parse("a : { b : 1 } { b : 2 }").GetInt("a.b"));
    }

    [Fact]
    public void Lists_concatenate_by_appending()
    {
        var expected = new[] { 1, 2, 3, 4 };
        Assert.Equal(expected, H.Parse("a : [ 1, 2, 3, 4 ]").GetIntList("a"));
        Assert.Equal(expected, H.Parse("a : [ 1, 2 ] [ 3, 4 ]").GetIntList("a"));
        Assert.Equal(expected, H.Parse("a : [ 1, 2 ]\na : ${a} [ 3, 4 ]").GetIntList("a"));
    }

    [Fact]
    public void Object_inheritance_through_substitution_and_concatenation()
    {
        var c = H.Parse("""
            data-center-generic = { cluster-size = 6 }
            data-center-east = ${data-center-generic} { name = "east" }
            """);
        Assert.Equal(6, c.GetInt("data-center-east.cluster-size"));
        Assert.Equal("east", c.GetString("data-center-east.name"));
        Assert.False(c.HasPath("data-center-generic.name"));
    }

    [Fact]
    public void Substitutions_concatenate_into_strings()
    {
        var c = H.Parse("""
            animal.favorite = dog
            a : ${animal.favorite} is my favorite animal
            b : ${animal.favorite}" is my favorite animal"
            n = 1e5
            c = ${n} apples
            d = [ This is ${animal.favorite}, Hello ${animal.favorite} ]
            """);
        Assert.Equal("dog is my favorite animal", c.GetString("a"));
        Assert.Equal("dog is my favorite animal", c.GetString("b"));
        Assert.Equal("1e5 apples", c.GetString("c"));
        Assert.Equal(["This is dog", "Hello dog"], c.GetStringList("d"));
    }

    [Fact]
    public void A_lone_substitution_keeps_its_type()
    {
        var c = H.Parse("n = 42\nm = ${n}\no = { x = 1 }\np = ${o}\nq = [1]\nr = ${q}\nt = true\nu = ${t}");
        Assert.Equal(HoconValueType.Number, c.GetValue("m").Type);
        Assert.Equal(HoconValueType.Object, c.GetValue("p").Type);
        Assert.Equal(HoconValueType.List, c.GetValue("r").Type);
        Assert.Equal(HoconValueType.Boolean, c.GetValue("u").Type);
    }

    [Fact]
    public void Null_concatenates_as_the_string_null()
    {
        Assert.Equal("x null y", H.Parse("n = null\na = x ${n} y").GetString("a"));
    }

    [Fact]
    public void Booleans_and_numbers_in_concatenation_become_their_text()
    {
        Assert.Equal("true 1.50 false", H.Parse("b = true\na = ${b} 1.50 false").GetString("a"));
    }

    [Fact]
    public void Undefined_optional_substitutions_drop_out_of_concatenations()
    {
        var c = H.Parse("""
            a = ${?nope}foo
            b = ${?nope} [1]
            c = ${?nope} { x = 1 }
            d = ${?nope}${?nada}
            e = 5
            e = ${?nope}${?nada}
            """);
        Assert.Equal("foo", c.GetString("a"));
        Assert.Equal([1], c.GetIntList("b"));
        Assert.Equal(1, c.GetInt("c.x"));
        Assert.False(c.HasPathOrNull("d"));
        Assert.Equal(5, c.GetInt("e"));
    }

    [Fact]
    public void Mixing_literal_lists_or_objects_with_strings_is_a_parse_error()
    {
        var e = H.ParseError("a = foo [1]");
        Assert.Contains("cannot concatenate", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 9), (e.Origin!.Line, e.Origin.Column));
        H.ParseError("a = { x = 1 } bar");
    }

    [Fact]
    public void Mixing_kinds_through_substitutions_is_a_resolve_error()
    {
        var e = H.ResolveError("l = [1]\no = { x = 1 }\na = ${l} ${o}");
        Assert.Contains("cannot concatenate a list with an object", e.Message, StringComparison.Ordinal);
        H.ResolveError("l = [1]\na = ${l} text");
    }

    [Fact]
    public void Numerically_indexed_objects_concatenate_as_lists()
    {
        var c = H.Parse("o { \"1\" = b, \"0\" = a, x = ignored }\nl = ${o} [c]");
        Assert.Equal(["a", "b", "c"], c.GetStringList("l"));
    }
}
