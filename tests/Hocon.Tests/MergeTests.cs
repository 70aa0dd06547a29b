namespace Decentral.Hocon.Tests;

/// <summary>HOCON.md "Duplicate keys and object merging".</summary>
public sealed class MergeTests
{
    [Fact]
    public void Duplicate_objects_merge()
    {
        var merged = H.Parse("""{ "foo" : { "a" : 42 }, "foo" : { "b" : 43 } }""");
        var single = H.Parse("""{ "foo" : { "a" : 42, "b" : 43 } }""");
        Assert.Equal(single.ToJson(), merged.ToJson());
    }

    [Fact]
    public void An_intermediate_non_object_prevents_the_merge()
    {
        var c = H.Parse("""{ "foo" : { "a" : 42 }, "foo" : null, "foo" : { "b" : 43 } }""");
        Assert.Equal(H.Parse("""{ "foo" : { "b" : 43 } }""").ToJson(), c.ToJson());
    }

    [Fact]
    public void Later_non_objects_override_and_objects_replace_non_objects()
    {
        var c = H.Parse("a = 1\na = 2\nb { x = 1 }\nb = 3\nc = 4\nc { y = 5 }");
        Assert.Equal(2, c.GetInt("a"));
        Assert.Equal(3, c.GetInt("b"));
        Assert.Equal(5, c.GetInt("c.y"));
        Assert.Single(c.GetObject("c"));
    }

    [Fact]
    public void Merging_is_recursive()
    {
        var c = H.Parse("a { b { c = 1, d = 2 } }\na { b { d = 3, e = 4 }, f = 5 }");
        Assert.Equal(1, c.GetInt("a.b.c"));
        Assert.Equal(3, c.GetInt("a.b.d"));
        Assert.Equal(4, c.GetInt("a.b.e"));
        Assert.Equal(5, c.GetInt("a.f"));
    }

    [Fact]
    public void Keys_keep_the_order_of_first_appearance()
    {
        var c = H.Parse("z = 1\na = 2\nm = 3\nz = 4");
        Assert.Equal(["z", "a", "m"], c.Keys);
    }

    [Fact]
    public void Lists_are_replaced_not_merged()
    {
        Assert.Equal([3], H.Parse("a = [1, 2]\na = [3]").GetIntList("a"));
    }
}
