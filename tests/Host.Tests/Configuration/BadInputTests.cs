using Decentral.Configuration;

namespace Decentral.Host.Tests.Configuration;

/// <summary>
/// Each kind of bad input: `config check` exits 2 with one message per problem on stderr, naming the
/// key and file:line:column of the offending value (positions computed here from the file text).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A file whose data is synthetic, so only the deliberate mistake is wrong.</summary>
    private (string Path, string Text) File(string body)
    {
        var text = "decentral {\n  model.data = \"\"\n  model.synthetic { rows = 60, features = 4 }\n" + body + "\n}\n";
        return (_files.Write("bad.conf", text), text);
    }

    private static string CheckFails(string path, params string[] more)
    {
        var (code, output, error) = CliRunner.Run(["config", "check", path, .. more]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("decentral config check: ", error, StringComparison.Ordinal);
        return error;
    }

    [Theory]
    [InlineData("sgd.iterations = \"many\"", "\"many\"", "decentral.sgd.iterations", "expected a number, found string \"many\"")]
    [InlineData("sgd.batch-size = 0", "0", "decentral.sgd.batch-size", "expected an integer from 1")]
    [InlineData("sgd.learning-rate = -0.1", "-0.1", "decentral.sgd.learning-rate", "greater than 0")]
    [InlineData("model.lambda = -1", "-1", "decentral.model.lambda", "at least 0")]
    [InlineData("model.objective = logistc-l2", "logistc-l2", "decentral.model.objective", "did you mean 'logistic-l2'?")]
    [InlineData("sgd.schedule = exponential", "exponential", "decentral.sgd.schedule", "expected one of constant, inverse-sqrt, inverse-time, paper-bound")]
    [InlineData("agreement.rule = medain", "medain", "decentral.agreement.rule", "did you mean 'median'?")]
    [InlineData("cluster.quorum = majority", "majority", "decentral.cluster.quorum", "expected processes, clusters or any:M")]
    [InlineData("cluster.quorum = \"any:10\"", "\"any:10\"", "decentral.cluster.quorum", "can never be met")]
    [InlineData("network.resend-interval = 0s", "0s", "decentral.network.resend-interval", "positive duration")]
    [InlineData("network.latency = soon", "soon", "decentral.network.latency", "duration")]
    [InlineData("cluster.sizes = [3, 0, 2]", "[3, 0, 2]", "decentral.cluster.sizes", "at least one process")]
    [InlineData("cluster.names = [a, b]", "[a, b]", "decentral.cluster.names", "expected 3 names")]
    [InlineData("cluster.names = [a, a, b]", "[a, a, b]", "decentral.cluster.names", "'a' appears more than once")]
    [InlineData("compute-time.scales = [1ms, 2ms]", "[1ms, 2ms]", "decentral.compute-time.scales", "one scale per node (9)")]
    [InlineData("checkpoint.store = sqlite", "sqlite", "decentral.checkpoint.store", "needs decentral.checkpoint.path")]
    [InlineData("remote.base-port = 65534", "65534", "decentral.remote.base-port", "at most 65533")]
    [InlineData("remote.clusters { c9 { port = 1 } }", "{ port", "decentral.remote.clusters.c9", "no cluster is named 'c9'")]
    [InlineData("sgd.iteration = 5", "5", "decentral.sgd.iteration", "unknown key; did you mean 'decentral.sgd.iterations'?")]
    [InlineData("iterations = 5", "5", "decentral.iterations", "unknown key; did you mean 'decentral.sgd.iterations'?")]
    [InlineData("modle { lambda = 1 }", "{ lambda", "decentral.modle", "unknown key; did you mean 'decentral.model'?")]
    [InlineData("agreement.rounds = { x = 1 }", "{ x", "decentral.agreement.rounds", "expected a number, found object")]
    public void Bad_value_names_key_position_and_expectation(string line, string value, string key, string expected)
    {
        var (path, text) = File("  " + line);
        var error = CheckFails(path);
        var position = LineOf(text, line) + ":" + ColumnOf(text, line, value);
        Assert.Contains($"{path}:{position}: {key}: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("{ at-iteration = 5, action = crash, target = \"c1/n9\" }", "no node 'c1/n9'")]
    [InlineData("{ at-iteration = 5, action = crash, target = c7 }", "no cluster is named 'c7'")]
    [InlineData("{ at-iteration = 5, action = restart, target = \"c4/n1\" }", "no cluster is named 'c4'")]
    [InlineData("{ at = 1s, action = partition, groups = [[c1], [c2, c1]] }", "cluster c1 is in more than one group")]
    [InlineData("{ at = 1s, action = partition, groups = [[c1], [c5]] }", "no cluster is named 'c5'")]
    [InlineData("{ at-iteration = 5, action = delay, from = c1, to = c1, delay = 5ms }", "expected a cluster other than from")]
    [InlineData("{ at-iteration = 5, action = drop, from = c1, to = c2, probability = 1.5 }", "at most 1")]
    [InlineData("{ at-iteration = 5, action = drop, from = c1, to = c2 }", "missing: action drop needs from, to, probability")]
    [InlineData("{ at-iteration = 5, action = heal, target = c1 }", "not used by action heal")]
    [InlineData("{ at-iteration = 5, action = crahs, target = c1 }", "did you mean 'crash'?")]
    [InlineData("{ at-iteration = 5, at = 1s, action = heal }", "expected exactly one trigger")]
    [InlineData("{ action = heal }", "expected exactly one trigger")]
    [InlineData("{ at-iteration = 5000, action = heal }", "expected an integer from 1 to 300")]
    [InlineData("{ at-iteration = 5, action = crash, tagret = c1 }", "did you mean 'target'?")]
    public void Bad_fault_names_the_fault_and_the_problem(string fault, string expected)
    {
        var (path, text) = File($"  sgd.iterations = 300\n  faults = [\n    {fault}\n  ]");
        var error = CheckFails(path);
        Assert.Contains($"{path}:{LineOf(text, fault)}:", error, StringComparison.Ordinal);
        Assert.Contains("decentral.faults.0", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_problems_are_reported_together_in_file_order()
    {
        var (path, text) = File("  sgd.batch-size = 0\n  sgd.iterations = \"many\"\n  agreement.rundos = 2");
        var lines = CheckFails(path).Trim().Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal("decentral config check: 3 configuration errors:", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"{path}:{LineOf(text, "batch-size")}:", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{LineOf(text, "\"many\"")}:", lines[2], StringComparison.Ordinal);
        Assert.Contains("did you mean 'decentral.agreement.rounds'?", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_of_the_wrong_type_is_reported_once()
    {
        var path = _files.Write("flat.conf", "decentral = 5\n");
        var lines = CheckFails(path).Trim().Split('\n');
        Assert.Single(lines);
        Assert.Contains($"{path}:1:13: decentral: expected an object", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_data_file_names_the_key_and_the_file()
    {
        var (path, text) = File("  model.data = \"no/such/file.libsvm\"");
        var error = CheckFails(path);
        Assert.Contains($"{path}:{LineOf(text, "no/such")}:{ColumnOf(text, "model.data = \"no", "\"no/such")}: decentral.model.data: data file 'no/such/file.libsvm' not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_data_file_names_the_key_and_the_data_line()
    {
        var data = _files.Write("broken.libsvm", "+1 1:0.5 2:1\n-1 2:1 1:0.5\n");
        var (path, _) = File("  model.data = \"broken.libsvm\"");
        var error = CheckFails(path);
        Assert.Contains("decentral.model.data: cannot load data file 'broken.libsvm'", error, StringComparison.Ordinal);
        Assert.Contains($"{data}:2:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sharding_over_more_nodes_than_rows_is_refused()
    {
        var (path, _) = File("  model.synthetic.rows = 5\n  model.partition = sharded");
        Assert.Contains("decentral.model.partition: sharded: 5 rows", CheckFails(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_file_is_reported_with_its_position_by_print_and_check()
    {
        const string text = "decentral {\n  sgd { iterations = 3\n";
        var path = _files.Write("broken.conf", text);
        foreach (var verb in new[] { "print", "check" })
        {
            var (code, output, error) = CliRunner.Run("config", verb, path);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Matches($"^decentral config {verb}: {System.Text.RegularExpressions.Regex.Escape(path)}:3:1: ", error);
        }
    }

    [Fact]
    public void Unresolvable_substitution_is_reported_with_its_position()
    {
        const string text = "decentral.sgd.iterations = ${undefined-setting}\n";
        var path = _files.Write("subst.conf", text);
        var (code, _, error) = CliRunner.Run("config", "print", path, "--json");
        Assert.Equal(2, code);
        Assert.Contains($"{path}:1:28:", error, StringComparison.Ordinal);
        Assert.Contains("undefined-setting", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_configuration_file_exits_2()
    {
        var missing = Path.Combine(_files.Directory, "absent.conf");
        var (code, _, error) = CliRunner.Run("config", "check", missing);
        Assert.Equal(2, code);
        Assert.Contains($"configuration file '{missing}' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_override_names_the_override_position()
    {
        var (path, _) = File("");
        var error = CheckFails(path, "--set", "decentral.sgd.iterations=0");
        Assert.Contains("--set[1]:1:26: decentral.sgd.iterations: expected an integer from 1", error, StringComparison.Ordinal);
        var malformed = CheckFails(path, "--set", "decentral.sgd.iterations");
        Assert.Contains("--set[1]:", malformed, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_carries_every_error_for_callers()
    {
        var (path, _) = File("  sgd.batch-size = 0\n  sgd.iterations = -1");
        var e = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(path));
        Assert.Equal(["decentral.sgd.batch-size", "decentral.sgd.iterations"], e.Errors.Select(x => x.Key));
        Assert.All(e.Errors, x => Assert.Equal(path, x.Origin!.Source));
    }

    private static int LineOf(string text, string needle) => int.Parse(ConfigFiles.PositionOf(text, needle).Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The column of <paramref name="value"/> on the line that holds <paramref name="line"/>.</summary>
    private static int ColumnOf(string text, string line, string value)
    {
        var start = text.IndexOf(line, StringComparison.Ordinal);
        var lineStart = text.LastIndexOf('\n', start) + 1;
        return text.IndexOf(value, start, StringComparison.Ordinal) - lineStart + 1;
    }
}
