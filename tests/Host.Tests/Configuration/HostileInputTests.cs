using System.Text;
using Decentral.Configuration;
using Decentral.Remote;

namespace Decentral.Host.Tests.Configuration;

/// <summary>
/// Issue 24, defects 10–13 as the configuration loader and `decentral config` see them: a key of a
/// million characters, NUL characters in path settings, includes outside the configuration's directory
/// and a configuration whose rendering has no end. Each is a <see cref="ConfigurationException"/> (exit
/// code 2) naming the key and where it was written, found without building anything large.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static ConfigurationException LoadFails(string? path, string[]? overrides = null, ConfigurationLoadOptions? options = null) =>
        Assert.Throws<ConfigurationException>(() => RemoteOptionsReader.Read(RunConfiguration.Load(path, overrides, options)));

    [Fact]
    public void A_million_character_unknown_key_is_reported_without_a_quadratic_distance_table()
    {
        // Before: a distance table per known key, 1.7 GB and 13 s before the same error.
        var key = "decentral." + new string('k', 1_000_000);
        var value = new string('v', 1_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(null, [$"{key}=1", $"decentral.model.objective={value}"]));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var unknown = Assert.Single(e.Errors, error => error.Key == key);
        Assert.Equal("unknown key", unknown.Problem);
        Assert.Equal("--set[1]", unknown.Origin!.Source);
        var objective = Assert.Single(e.Errors, error => error.Key == "decentral.model.objective");
        Assert.StartsWith("unknown value 'vvv", objective.Problem, StringComparison.Ordinal);
        Assert.EndsWith("'; expected one of logistic-nonconvex, logistic-l2, least-squares", objective.Problem, StringComparison.Ordinal);
        Assert.True(allocated < 64L << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void Suggestions_still_find_near_names()
    {
        var e = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(null, ["decentral.sgd.iteratoins=5"]));
        Assert.Equal("unknown key; did you mean 'decentral.sgd.iterations'?", Assert.Single(e.Errors).Problem);
    }

    [Theory]
    [InlineData("model.data")]
    [InlineData("checkpoint.path")]
    [InlineData("remote.state-dir")]
    [InlineData("remote.tls.certificate")]
    public void A_nul_character_in_a_path_setting_is_a_positioned_error(string key)
    {
        // Before: System.ArgumentException ("Null character in path") from wherever the string became a path.
        var text = $"decentral {{\n  model.synthetic {{ rows = 40, features = 3 }}\n  {key} = \"data\\u0000.txt\"\n}}\n";
        var path = _files.Write("nul.conf", text);

        var e = LoadFails(path);

        Assert.Equal(
            $"{path}:3:{key.Length + 6}: decentral.{key}: expected a file path, found a string that contains the character U+0000 (at position 5), which no path may hold",
            Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void Names_no_file_system_takes_are_positioned_errors()
    {
        var longName = new string('n', 300);
        var e = LoadFails(null, [$"decentral.checkpoint.path=\"{longName}/c.sqlite\"", "decentral.cluster.names=[\"c\\u0001\", c2, c3]"]);

        Assert.Contains(e.Errors, error => error.Key == "decentral.checkpoint.path" && error.Origin!.Source == "--set[1]"
            && error.Problem == "expected a file path, found a string that has a file or directory name of 300 bytes, more than the 255 one may have");
        Assert.Contains(e.Errors, error => error.Key == "decentral.cluster.names" && error.Origin!.Source == "--set[2]"
            && error.Problem.StartsWith("cluster name 'c\\u0001' is empty or contains", StringComparison.Ordinal));
    }

    [Fact]
    public void Includes_outside_the_configurations_directory_need_an_include_root()
    {
        _files.Write("common/base.conf", "decentral.sgd.iterations = 11\n");
        var run = _files.Write("runs/first.conf", "include \"../common/base.conf\"\ndecentral.model.data = \"\"\n");

        var e = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(run));
        Assert.StartsWith($"{run}:1:9: cannot include '../common/base.conf': '{Path.Combine(_files.Directory, "common", "base.conf")}' is outside", e.Message, StringComparison.Ordinal);

        Assert.Equal(11, RunConfiguration.Load(run, options: new ConfigurationLoadOptions { IncludeRoot = _files.Directory }).Spec.Protocol.Iterations);
        var fromEnvironment = new ConfigurationLoadOptions { Environment = name => name == ConfigurationLoader.IncludeRootVariable ? _files.Directory : null };
        Assert.Equal(11, RunConfiguration.Load(run, options: fromEnvironment).Spec.Protocol.Iterations);
    }

    [Fact]
    public void Config_print_stops_a_rendering_that_passes_the_limit_and_names_the_key()
    {
        // 100 control characters, each written \u0001 in JSON, doubled 15 times by shared references: the
        // values take 6.5 Mi characters in memory but their JSON 40 MB.
        var text = new StringBuilder("bomb {\n  k0 = \"").Append(string.Concat(Enumerable.Repeat("\\u0001", 100))).Append("\"\n");
        for (var i = 1; i < 16; i++)
        {
            text.Append($"  k{i} = [${{bomb.k{i - 1}}}, ${{bomb.k{i - 1}}}]\n");
        }

        var path = _files.Write("shared.conf", text.Append("}\n").ToString());

        var (code, output, error) = CliRunner.Run("config", "print", path, "--json");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Matches(@"^decentral config print: .*shared\.conf:\d+:\d+: bomb\.k\d+(\.[01])+: rendering stopped here: the output would be longer than 16,777,216 bytes \(HoconLimits\.MaxRenderedLength", error);
    }
}
