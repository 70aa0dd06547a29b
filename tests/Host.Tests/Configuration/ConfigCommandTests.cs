using System.Text.Json;
using Decentral.Hocon;
using Decentral.Configuration;

namespace Decentral.Host.Tests.Configuration;

public sealed class ConfigCommandTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Print_json_is_one_document_with_the_resolved_values()
    {
        var path = _files.Write("p.conf", "base = 7\ndecentral { sgd.iterations = ${base}, cluster.names = [x, y, z] }\n");
        var (code, output, error) = CliRunner.Run("config", "print", path, "--json", "--set", "decentral.sgd.batch-size=5");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var doc = JsonDocument.Parse(output);
        var d = doc.RootElement.GetProperty("decentral");
        Assert.Equal(7, d.GetProperty("sgd").GetProperty("iterations").GetInt32());
        Assert.Equal(5, d.GetProperty("sgd").GetProperty("batch-size").GetInt32());
        Assert.Equal(["x", "y", "z"], d.GetProperty("cluster").GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, d.GetProperty("cluster").GetProperty("sizes").ValueKind);

        // Every key of reference.conf is present: compare the key sets.
        using var reference = JsonDocument.Parse(ConfigurationLoader.Reference.ToJson());
        Assert.Superset(Keys(reference.RootElement.GetProperty("decentral")).ToHashSet(), Keys(d).ToHashSet());
    }

    [Fact]
    public void Print_without_a_file_shows_the_embedded_default_and_parses_back()
    {
        var (code, output, error) = CliRunner.Run("config", "print", "--origins");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains(EmbeddedConfigs.LocalSource, output, StringComparison.Ordinal);
        var reparsed = HoconParser.Parse(output);
        var original = ConfigurationLoader.Load(null).Config;
        Assert.Equal(original.ToJson(), reparsed.ToJson());
    }

    [Fact]
    public void Check_prints_ok_and_a_summary_line()
    {
        var path = _files.Write("c.conf", "decentral { model.data = \"\", cluster.sizes = [2, 3], sgd.iterations = 17 }\n");
        var (code, output, error) = CliRunner.Run("config", "check", path);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = output.Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal($"ok: {path}", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains("2 clusters (c1:2,c2:3) = 5 nodes", lines[1], StringComparison.Ordinal);
        Assert.Contains("T=17", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Print_does_not_validate_the_schema_but_check_does()
    {
        var path = _files.Write("u.conf", "decentral.sgd.iteratoins = 3\n");
        Assert.Equal(0, CliRunner.Run("config", "print", path).Code);
        var (code, _, error) = CliRunner.Run("config", "check", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:1:28: decentral.sgd.iteratoins: unknown key; did you mean 'decentral.sgd.iterations'?", error, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Keys(JsonElement element, string prefix = "")
    {
        foreach (var p in element.EnumerateObject())
        {
            var path = prefix + p.Name;
            yield return path;
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var child in Keys(p.Value, path + "."))
                {
                    yield return child;
                }
            }
        }
    }
}
