using Microsoft.Extensions.Configuration;

namespace Decentral.Hocon.Tests;

/// <summary>Microsoft.Extensions.Configuration: a.b.c maps to a:b:c, lists to a:b:0, options bind.</summary>
public sealed class ConfigurationProviderTests
{
    private const string Text = """
        decentral {
          sgd {
            iterations = 500
            learning-rate = 0.05
            batch-size = 16
            decay = 1e-3
            enabled = yes
            schedule = [10, 20, 30]
            name = "plain sgd"
            nested { depth = 3 }
            nested-options { max-depth = 4 }
          }
          names = [a, b]
          nothing = null
          empty = []
        }
        """;

    public sealed class SgdOptions
    {
        public int Iterations { get; set; }

        public double LearningRate { get; set; }

        public int BatchSize { get; set; }

        public double Decay { get; set; }

        public string Name { get; set; } = "";

        public List<int> Schedule { get; set; } = [];

        public NestedOptions Nested { get; set; } = new();

        public MoreOptions NestedOptions { get; set; } = new();
    }

    public sealed class MoreOptions
    {
        public int MaxDepth { get; set; }
    }

    public sealed class NestedOptions
    {
        public int Depth { get; init; }
    }

    public sealed record RecordOptions(int Iterations, double Decay);

    public sealed record HyphenRecord(double LearningRate, int BatchSize);

    [Fact]
    public void File_source_binds_a_section_to_an_options_class()
    {
        using var dir = new TempDir();
        var path = dir.Write("app.conf", Text);
        var configuration = new ConfigurationBuilder().AddHocon(path).Build();
        var options = configuration.GetSection("decentral:sgd").Get<SgdOptions>()!;
        Assert.Equal(500, options.Iterations);
        Assert.Equal(0.05, options.LearningRate);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(1e-3, options.Decay);
        Assert.Equal("plain sgd", options.Name);
        Assert.Equal([10, 20, 30], options.Schedule);
        Assert.Equal(3, options.Nested.Depth);
        Assert.Equal(4, options.NestedOptions.MaxDepth);
    }

    [Fact]
    public void Hyphenated_keys_are_listed_once_with_their_hocon_spelling()
    {
        var configuration = new ConfigurationBuilder().AddHocon(H.Parse(Text)).Build();
        var keys = configuration.GetSection("decentral:sgd").GetChildren().Select(c => c.Key).ToList();
        Assert.Contains("learning-rate", keys);
        Assert.DoesNotContain("learningrate", keys, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("0.05", configuration["decentral:sgd:LearningRate"]);
        Assert.Equal("0.05", configuration["decentral:sgd:learning-rate"]);
        Assert.Equal("4", configuration.GetSection("Decentral:Sgd:NestedOptions")["MaxDepth"]);
    }

    [Fact]
    public void Records_bind_through_their_constructor()
    {
        var configuration = new ConfigurationBuilder().AddHocon(H.Parse(Text)).Build();
        var options = configuration.GetSection("decentral:sgd").Get<RecordOptions>()!;
        Assert.Equal(new RecordOptions(500, 1e-3), options);
        var withHyphen = configuration.GetSection("decentral:sgd").Get<HyphenRecord>()!;
        Assert.Equal(new HyphenRecord(0.05, 16), withHyphen);
    }

    [Fact]
    public void Keys_use_colons_and_list_indices()
    {
        var configuration = new ConfigurationBuilder().AddHocon(H.Parse(Text)).Build();
        Assert.Equal("500", configuration["decentral:sgd:iterations"]);
        Assert.Equal("b", configuration["decentral:names:1"]);
        Assert.Equal("20", configuration["decentral:sgd:schedule:1"]);
        Assert.Equal("yes", configuration["decentral:sgd:enabled"]);
        Assert.Null(configuration["decentral:nothing"]);
        Assert.Equal(["a", "b"], configuration.GetSection("decentral:names").Get<string[]>()!);
    }

    [Fact]
    public void Flattening_matches_the_tree()
    {
        var data = HoconConfigurationProvider.Flatten(H.Parse("a { b = 1, c = [x, { d = true }] }\ne {}\nf = null").Root);
        Assert.Equal(5, data.Count);
        Assert.Equal("1", data["a:b"]);
        Assert.Equal("x", data["a:c:0"]);
        Assert.Equal("true", data["A:C:1:D"]);
        Assert.Null(data["e"]);
        Assert.Null(data["f"]);
    }

    [Fact]
    public void Later_sources_override_hocon_values()
    {
        var configuration = new ConfigurationBuilder()
            .AddHocon(H.Parse(Text))
            .AddInMemoryCollection([new("decentral:sgd:iterations", "7")])
            .Build();
        Assert.Equal(7, configuration.GetSection("decentral:sgd").Get<SgdOptions>()!.Iterations);
    }

    [Fact]
    public void Unresolved_configs_are_resolved_on_load()
    {
        var unresolved = HoconParser.ParseUnresolved("a = 1\nb = ${a}");
        var configuration = new ConfigurationBuilder().AddHocon(unresolved).Build();
        Assert.Equal("1", configuration["b"]);
    }

    [Fact]
    public void Optional_missing_files_are_empty_and_required_ones_fail()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".conf");
        Assert.Empty(new ConfigurationBuilder().AddHocon(missing, optional: true).Build().AsEnumerable());
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHocon(missing).Build());
    }

    [Fact]
    public void Parse_errors_surface_with_their_position()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.conf", "a {\n  b = \n}");
        var e = Assert.Throws<HoconParseException>(() => new ConfigurationBuilder().AddHocon(path).Build());
        Assert.Equal((3, 1), (e.Origin!.Line, e.Origin.Column));
    }
}
