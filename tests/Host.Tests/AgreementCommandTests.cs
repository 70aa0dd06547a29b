using System.Text.Json;

namespace Decentral.Host.Tests;

public sealed class AgreementCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Acceptance_case_prints_one_valid_json_object_that_beats_the_bound()
    {
        var (code, output, err) = Run("agreement", "--clusters", "5", "--cluster-size", "3", "--dim", "50", "--rounds", "12", "--seed", "11", "--json");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        using var doc = JsonDocument.Parse(output); // throws unless stdout is exactly one JSON value
        var root = doc.RootElement;
        Assert.True(root.GetProperty("valid").GetBoolean());
        var bound = root.GetProperty("bound").GetDouble();
        Assert.Equal(5.0 / 6, bound, 12); // m = 5: (2·2 + 1)/(2·2 + 2)
        var rounds = root.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(13, rounds.Count); // round 0 (the inputs) through round 12
        Assert.Equal(Enumerable.Range(0, 13), rounds.Select(r => r.GetProperty("round").GetInt32()));
        var initial = rounds[0].GetProperty("diameter_l2").GetDouble();
        var final = rounds[^1].GetProperty("diameter_l2").GetDouble();
        Assert.True(initial > 0);
        Assert.True(final < initial * Math.Pow(bound, 12 / 2.0), $"final Δ₂ {final}, initial {initial}");
        Assert.True(rounds.All(r => r.GetProperty("diameter_cw").GetDouble() >= r.GetProperty("diameter_l2").GetDouble() - 1e-12));
        Assert.True(root.GetProperty("worst_contraction").ValueKind is JsonValueKind.Number or JsonValueKind.Null);
        // The protocol's rule: one value per cluster under a cluster-based quorum, every value under any:M.
        Assert.True(root.GetProperty("one_value_per_cluster").GetBoolean());
        var any = Run("agreement", "--clusters", "5", "--cluster-size", "3", "--rounds", "2", "--quorum", "any:8", "--json");
        Assert.Equal(0, any.Code);
        using var anyDoc = JsonDocument.Parse(any.Out);
        Assert.False(anyDoc.RootElement.GetProperty("one_value_per_cluster").GetBoolean());
    }

    [Theory]
    [InlineData("mid-extremes", "processes")]
    [InlineData("mean", "clusters")]
    [InlineData("median", "processes")]
    [InlineData("trimmed-mean", "clusters")]
    [InlineData("trimmed-mean:2", "any:5")]
    public void Every_rule_and_quorum_runs_with_crashes_and_stays_valid(string rule, string quorum)
    {
        var (code, output, err) = Run("agreement", "--sizes", "3,2,4", "--dim", "7", "--rounds", "6", "--rule", rule, "--quorum", quorum, "--crash", "2", "--seed", "3", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(7, doc.RootElement.GetProperty("rounds").GetArrayLength());
    }

    [Fact]
    public void Human_output_has_a_row_per_round_and_the_bound()
    {
        var (code, output, _) = Run("agreement", "--clusters", "3", "--cluster-size", "2", "--dim", "4", "--rounds", "4");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("round", StringComparison.Ordinal) && l.Contains("Δcw", StringComparison.Ordinal));
        for (var r = 0; r <= 4; r++)
        {
            Assert.Contains(lines, l => l.StartsWith($"{r} ", StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.Contains("bound q per two rounds (m = 3): 0.75", StringComparison.Ordinal));
        Assert.Contains("valid: true", lines);
    }

    [Theory]
    [InlineData("--clusters", "0")]
    [InlineData("--cluster-size", "0")]
    [InlineData("--cluster-size", "-2")]
    [InlineData("--sizes", "3,0,2")]
    [InlineData("--sizes", "3,x")]
    [InlineData("--dim", "0")]
    [InlineData("--rounds", "0")]
    [InlineData("--rule", "max")]
    [InlineData("--quorum", "majority")]
    [InlineData("--quorum", "any:16")]
    [InlineData("--crash", "9")]
    [InlineData("--crash", "-1")]
    public void Bad_input_exits_with_2_and_names_the_option(string option, string value)
    {
        // Default layout 5 × 3: quorum=processes tolerates any 8 crashes (three whole clusters hold 9 ≥ 8).
        var (code, output, err) = Run("agreement", option, value);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains(option, err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_crash_limit_is_exactly_what_the_quorum_tolerates()
    {
        Assert.Equal(0, Run("agreement", "--crash", "8", "--rounds", "2", "--json").Code);
        Assert.Equal(2, Run("agreement", "--crash", "9", "--rounds", "2", "--json").Code);
    }

    [Theory]
    [InlineData("agreement", "--dim", "abc")]
    [InlineData("agreement", "--no-such-option")]
    [InlineData("agreement", "--sizes", "3,2", "--clusters", "2")]
    public void Unparsable_or_conflicting_arguments_exit_with_2(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.NotEqual(string.Empty, err);
    }
}
