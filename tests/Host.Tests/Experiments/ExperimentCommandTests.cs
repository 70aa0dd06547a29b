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
        var rows = 0;
        foreach (var m in methods)
        {
            // The grid widens until the best step is interior or the cap (8 per side) is hit, and says so.
            var grid = m.GetProperty("grid").EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Contains(0.5, grid);
            Assert.Contains(0.1, grid);
            var best = m.GetProperty("best_step_size").GetDouble();
            Assert.Contains(best, grid);
            var atEdge = best <= grid.Min() || best >= grid.Max();
            Assert.Equal(atEdge, m.GetProperty("best_at_edge").GetBoolean());
            Assert.True(!atEdge || grid.Count == 2 + 8, $"{m}: best at an edge with only {grid.Count} steps tried");
            Assert.True(m.GetProperty("final_grad_norm").GetDouble() > 0);
            var toTarget = m.GetProperty("time_to_target");
            Assert.True(toTarget.ValueKind is JsonValueKind.Null || toTarget.GetDouble() >= 0);
            var delays = m.GetProperty("delays");
            Assert.True(delays.GetProperty("max").GetInt64() >= delays.GetProperty("p50").GetInt64());
            Assert.True(m.GetProperty("stable_step").GetProperty("at_max_delay").GetDouble() > 0);
            rows += grid.Count * 41;
        }
        Assert.True(root.GetProperty("smoothness").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("f_star").ValueKind); // non-convex: no exact solver

        // trace.csv: header, then one row per sample of every run: every step size tried × (x₀ + 40 steps).
        var lines = File.ReadAllLines(Path.Combine(outDir, "trace.csv"));
        Assert.Equal("method,step_size,time,step,gradients,grad_norm,f,f_minus_fstar,delay", lines[0]);
        Assert.Equal(1 + rows, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(("minibatch", "0.1", "0", "0", "0"), (first[0], first[1], first[2], first[3], first[4]));
        Assert.All(lines.Skip(1), l => Assert.Equal(9, l.Split(',').Length));
        Assert.All(lines.Skip(1), l => Assert.True(double.Parse(l.Split(',')[5], CultureInfo.InvariantCulture) >= 0));

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
        var gradients = XDocument.Load(Path.Combine(outDir, "plot-gradients.svg"));
        Assert.Contains("gradients computed", gradients.Descendants(ns + "text").Select(t => t.Value));
        Assert.False(File.Exists(Path.Combine(outDir, "plot-subopt.svg"))); // no F* for a non-convex objective
    }

    [Fact]
    public void With_an_exact_optimum_F_minus_F_star_is_traced_targeted_and_plotted_against_gradients()
    {
        var config = _files.Write("small.conf", ExperimentFixture.SmallProblem);
        var outDir = Path.Combine(_files.Directory, "ls");

        var (code, output, error) = ExperimentFixture.Run("experiment", "asgd", "--config", config, "--json", "--out", outDir,
            "--set", "decentral.model.objective=least-squares", "--set", "decentral.model.lambda=0",
            "--set", "decentral.experiment.asgd.metric=suboptimality", "--set", "decentral.experiment.asgd.select=gradients-to-target",
            "--set", "decentral.experiment.asgd.budget.steps=null", "--set", "decentral.experiment.asgd.budget.gradients=120",
            "--set", "decentral.experiment.asgd.target=0.01");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("suboptimality", root.GetProperty("metric").GetString());
        var fStar = root.GetProperty("f_star").GetDouble();
        foreach (var m in root.GetProperty("methods").EnumerateArray())
        {
            Assert.Equal(120, m.GetProperty("gradients").GetInt64()); // the gradient budget ends every run
            var gap = m.GetProperty("final_f_minus_fstar").GetDouble();
            Assert.Equal(m.GetProperty("final_f").GetDouble() - fStar, gap, 12);
            Assert.True(gap >= -1e-12);
        }

        var rows = File.ReadAllLines(Path.Combine(outDir, "trace.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal(
            double.Parse(r[6], CultureInfo.InvariantCulture) - fStar, double.Parse(r[7], CultureInfo.InvariantCulture), 12));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var plot = XDocument.Load(Path.Combine(outDir, "plot-subopt-gradients.svg"));
        var texts = plot.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("gradients computed", texts);
        Assert.Contains("F(x) − F* (log scale)", texts);
        Assert.Contains("target 0.01", texts);
        Assert.True(File.Exists(Path.Combine(outDir, "plot-subopt.svg")));
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
