using System.Text.Json;
using Decentral.Simulation.Dst;

namespace Decentral.Host.Tests.Dst;

public sealed class DstCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Help_lists_every_mutant_and_invariant()
    {
        var (code, output, _) = Run("dst", "--help");
        Assert.Equal(0, code);
        foreach (var m in DstMutant.All)
        {
            Assert.Contains(m.Name, output, StringComparison.Ordinal);
        }
        foreach (var invariant in Decentral.Simulation.Dst.Invariants.InvariantNames.All)
        {
            Assert.Contains(invariant, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_campaign_prints_one_json_object_in_the_documented_shape()
    {
        var (code, output, err) = Run("dst", "--seeds", "1-6", "--json", "--jobs", "2");
        Assert.Equal(string.Empty, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(6, root.GetProperty("seeds").GetInt32());
        Assert.Equal(6, root.GetProperty("passed").GetInt32() + root.GetProperty("failed").GetInt32());
        Assert.Equal(root.GetProperty("failed").GetInt32(), root.GetProperty("violations").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("mutant").ValueKind);
        Assert.Equal(root.GetProperty("failed").GetInt32() == 0 ? 0 : 1, code);
    }

    [Fact]
    public void A_caught_mutant_exits_zero_and_lists_replayable_violations()
    {
        var (code, output, _) = Run("dst", "--seeds", "1-3", "--mutant", "checkpoint-before-state", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("checkpoint-before-state", root.GetProperty("mutant").GetString());
        var violations = root.GetProperty("violations").EnumerateArray().ToList();
        Assert.Equal(3, violations.Count);
        Assert.All(violations, v =>
        {
            Assert.Equal("checkpoint", v.GetProperty("invariant").GetString());
            Assert.Equal($"decentral dst --seed {v.GetProperty("seed").GetInt64()} --mutant checkpoint-before-state --trace", v.GetProperty("replay").GetString());
        });
    }

    [Fact]
    public void A_failing_seed_prints_the_invariant_the_last_events_and_the_replay_command()
    {
        var (code, output, _) = Run("dst", "--seed", "1", "--mutant", "checkpoint-before-state");
        Assert.Equal(0, code);
        Assert.Contains("VIOLATION of checkpoint", output, StringComparison.Ordinal);
        Assert.Contains("last events:", output, StringComparison.Ordinal);
        Assert.Contains("replay: decentral dst --seed 1 --mutant checkpoint-before-state --trace", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_prints_the_whole_run_identically_twice()
    {
        var first = Run("dst", "--seed", "7", "--trace");
        var second = Run("dst", "--seed", "7", "--trace");
        Assert.Equal(first.Out, second.Out);
        Assert.Contains("#0 ", first.Out, StringComparison.Ordinal);
        Assert.Contains(" started at t1", first.Out, StringComparison.Ordinal);
        Assert.Contains("seed 7: passed", first.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dst")]
    [InlineData("dst", "--seeds", "5-1")]
    [InlineData("dst", "--seeds", "one-two")]
    [InlineData("dst", "--seeds", "1-2", "--seed", "3")]
    [InlineData("dst", "--seeds", "1-2", "--trace")]
    [InlineData("dst", "--seed", "1", "--mutant", "off-by-one")]
    [InlineData("dst", "--seeds", "1-2", "--jobs", "0")]
    [InlineData("dst", "--seeds", "1-2", "--config", "/nonexistent/dst.conf")]
    public void Bad_input_exits_with_code_two_and_says_why(params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(Cli.BadInput, code);
        Assert.StartsWith("decentral", err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void A_config_file_changes_the_distributions_and_bad_keys_are_named()
    {
        var dir = Directory.CreateTempSubdirectory("dst-config-");
        try
        {
            var good = Path.Combine(dir.FullName, "good.conf");
            File.WriteAllText(good, "dst { max-clusters = 1, max-cluster-size = 2, max-iterations = 25, faults = [crash] }");
            var (code, output, err) = Run("dst", "--seed", "4", "--config", good);
            Assert.True(code == 0, err + output);
            Assert.Matches(@"clusters \d \(n = [12]\)", output);

            var bad = Path.Combine(dir.FullName, "bad.conf");
            File.WriteAllText(bad, "dst { max-clusterz = 3 }");
            var (badCode, _, badErr) = Run("dst", "--seeds", "1-2", "--config", bad);
            Assert.Equal(Cli.BadInput, badCode);
            Assert.Contains("dst.max-clusterz", badErr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Seed_ranges_parse_like_the_usage_says()
    {
        Assert.Equal((1L, 500L), Decentral.Host.Commands.DstCommand.ParseRange("1-500"));
        Assert.Equal((7L, 7L), Decentral.Host.Commands.DstCommand.ParseRange("7"));
        Assert.Equal((100_000L, 100_099L), Decentral.Host.Commands.DstCommand.ParseRange("100000-100099"));
    }
}
