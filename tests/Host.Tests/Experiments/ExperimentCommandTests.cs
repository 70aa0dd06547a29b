using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;

namespace Decentral.Host.Tests.Experiments;

public sealed class ExperimentCommandTests : IDisposable
{
    private readonly ExperimentFixture _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Json_lists_every_method_with_its_best_step_size_and_the_files_are_written()
    {
        var config = _files.Write("small.conf", ExperimentFixture.SmallProblem);
        var outDir = Path.Combine(_files.Directory, "out");

        var (code, output, error) = ExperimentFixture.Run("experiment", "asgd", "--config", config, "--json", "--out", outDir);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(0.05, root.GetProperty("target").GetDouble());
        var methods = root.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(["minibatch", "pure", "random"], methods.Select(m => m.GetProperty("name").GetString()));
        foreach (var m in methods)
        {
            Assert.Contains(m.GetProperty("step_size").GetDouble(), new[] { 0.5, 0.1 });
            Assert.True(m.GetProperty("final_grad_norm").GetDouble() > 0);
            var toTarget = m.GetProperty("time_to_target");
            Assert.True(toTarget.ValueKind is JsonValueKind.Null || toTarget.GetDouble() >= 0);
        }

        // trace.csv: header, then one row per sample of every run: 3 methods × 2 step sizes × (x₀ + 40 steps).
        var lines = File.ReadAllLines(Path.Combine(outDir, "trace.csv"));
        Assert.Equal("method,step_size,time,step,grad_norm,f,delay", lines[0]);
        Assert.Equal(1 + (3 * 2 * 41), lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(("minibatch", "0.5", "0", "0"), (first[0], first[1], first[2], first[3]));
        Assert.All(lines.Skip(1), l => Assert.Equal(7, l.Split(',').Length));
        Assert.All(lines.Skip(1), l => Assert.True(double.Parse(l.Split(',')[4], CultureInfo.InvariantCulture) >= 0));

        // plot.svg: well-formed, one polyline per method, legend naming the methods.
        var svg = XDocument.Load(Path.Combine(outDir, "plot.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(3, svg.Descendants(ns + "polyline").Count());
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("pure", texts);
        Assert.Contains(texts, t => t.StartsWith("η = ", StringComparison.Ordinal));
        Assert.Contains("time (model units)", texts);
        Assert.Contains("‖∇f(x)‖ (log scale)", texts);

        var steps = XDocument.Load(Path.Combine(outDir, "plot-steps.svg"));
        Assert.Equal(3, steps.Descendants(ns + "polyline").Count());
        Assert.Contains("server steps", steps.Descendants(ns + "text").Select(t => t.Value));
    }

    [Fact]
    public void The_table_shows_each_method_and_the_theory_next_to_the_measurement()
    {
        var config = _files.Write("small.conf", ExperimentFixture.SmallProblem);

        var (code, output, error) = ExperimentFixture.Run("experiment", "asgd", "--config", config, "--out", Path.Combine(_files.Directory, "o"));

        Assert.True(code == 0, error);
        Assert.Contains("time to target", output, StringComparison.Ordinal);
        foreach (var method in new[] { "minibatch", "pure", "random" })
        {
            Assert.Contains(Environment.NewLine + method + " ", output, StringComparison.Ordinal);
        }
        Assert.Contains("minibatch: max τ_i = ", output, StringComparison.Ordinal);
        Assert.Contains("asynchronous: Σ 1/τ_i = ", output, StringComparison.Ordinal);
        Assert.Contains("optimal time (Tyurin–Richtárik)", output, StringComparison.Ordinal);
        Assert.Contains("measured pure: ", output, StringComparison.Ordinal);
        Assert.Contains("pure η=0.5: 40 steps", error, StringComparison.Ordinal); // progress goes to stderr
    }

    [Theory]
    [InlineData("decentral.experiment.asgd.methods=[pure, sgd]", "unknown method 'sgd'")]
    [InlineData("decentral.experiment.asgd.step-sizes=[]", "step-size grid is empty")]
    [InlineData("decentral.experiment.asgd.compute-time.scale=-2", "compute-time.scale")]
    [InlineData("decentral.experiment.asgd.workers=500", "only 120 rows")]
    public void Bad_input_exits_with_code_2_and_a_message_on_stderr(string set, string expected)
    {
        var config = _files.Write("small.conf", ExperimentFixture.SmallProblem);
        var (code, output, error) = ExperimentFixture.Run("experiment", "asgd", "--config", config, "--set", set, "--out", _files.Directory);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("decentral experiment asgd: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_configuration_file_exits_with_code_2()
    {
        var (code, _, error) = ExperimentFixture.Run("experiment", "asgd", "--config", Path.Combine(_files.Directory, "nope.conf"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }
}
