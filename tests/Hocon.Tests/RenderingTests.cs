using System.Text.Json;

namespace Decentral.Hocon.Tests;

/// <summary>ToJson (checked with System.Text.Json) and ToHocon (parsed back).</summary>
public sealed class RenderingTests
{
    private const string Sample = """
        decentral {
          seed = 42
          sgd { iterations = 1000, learning-rate = 0.05, decay = 1e-3 }
          cluster.sizes = [3, 2, 4]
          name = "quote \" backslash \\ tab \t unicode é"
          enabled = true
          nothing = null
          nested = [ { a = 1 }, [ x, y ], [] ]
          empty {}
          "dotted.key" = 1
          "" = empty-key
          padded = 007
        }
        """;

    [Fact]
    public void Json_output_parses_with_system_text_json_with_typed_values()
    {
        var json = H.Parse(Sample).ToJson();
        using var doc = JsonDocument.Parse(json);
        var d = doc.RootElement.GetProperty("decentral");
        Assert.Equal(42, d.GetProperty("seed").GetInt32());
        Assert.Equal(JsonValueKind.Number, d.GetProperty("sgd").GetProperty("learning-rate").ValueKind);
        Assert.Equal(0.05, d.GetProperty("sgd").GetProperty("learning-rate").GetDouble());
        Assert.Equal(1e-3, d.GetProperty("sgd").GetProperty("decay").GetDouble());
        Assert.Equal([3, 2, 4], d.GetProperty("cluster").GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("quote \" backslash \\ tab \t unicode é", d.GetProperty("name").GetString());
        Assert.True(d.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, d.GetProperty("nothing").ValueKind);
        Assert.Equal(1, d.GetProperty("nested")[0].GetProperty("a").GetInt32());
        Assert.Equal("y", d.GetProperty("nested")[1][1].GetString());
        Assert.Equal(0, d.GetProperty("nested")[2].GetArrayLength());
        Assert.Equal(JsonValueKind.Object, d.GetProperty("empty").ValueKind);
        Assert.Equal(1, d.GetProperty("dotted.key").GetInt32());
        Assert.Equal("empty-key", d.GetProperty("").GetString());
        Assert.Equal(7, d.GetProperty("padded").GetInt32());
    }

    [Fact]
    public void Json_output_parsed_as_hocon_gives_the_same_json()
    {
        var json = H.Parse(Sample).ToJson(indented: false);
        Assert.Equal(json, H.Parse(json).ToJson(indented: false));
        Assert.DoesNotContain('\n', json);
    }

    [Fact]
    public void Hocon_output_parses_back_to_the_same_tree()
    {
        var original = H.Parse(Sample);
        var text = original.ToHocon();
        Assert.Equal(original.ToJson(), H.Parse(text).ToJson());
    }

    [Fact]
    public void Hocon_output_can_name_origins()
    {
        var text = H.Parse("a {\n  b = 1\n}", "o.conf").ToHocon(withOrigins: true);
        Assert.Contains("# o.conf:2:7", text, StringComparison.Ordinal);
        Assert.Equal(1, H.Parse(text).GetInt("a.b"));
    }

    [Fact]
    public void Json_output_is_stable_for_resolved_substitutions()
    {
        var json = H.Parse("a = 1\nb = ${a}\nc = [${a}, ${b}]").ToJson(indented: false);
        Assert.Equal("""{"a":1,"b":1,"c":[1,1]}""", json);
    }
}
