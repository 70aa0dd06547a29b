using Decentral.Nodes.Objectives;
using Decentral.Configuration;
using Decentral.Experiments;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Training;

namespace Decentral.Host.Tests.Experiments;

public sealed class AsgdSettingsReaderTests : IDisposable
{
    private readonly ExperimentFixture _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Model_comes_from_decentral_model_and_the_experiment_from_its_section()
    {
        var settings = AsgdSettingsReader.Load(_files.Write("small.conf", ExperimentFixture.SmallProblem));

        Assert.Equal([AsyncMethod.Minibatch, AsyncMethod.Pure, AsyncMethod.Random], settings.Methods);
        Assert.Equal([0.5, 0.1], settings.StepSizes);
        Assert.Equal(4, settings.Workers);
        Assert.Equal(40, settings.MaxSteps);
        Assert.Null(settings.MaxTime);
        Assert.Equal(0.05, settings.Target);
        Assert.True(settings.FullLocalGradients);
        var p = settings.Problem;
        Assert.Equal((120, 6), (p.Data.Rows, p.Data.Dimension));
        Assert.Equal(0.1, Assert.IsType<LogisticNonConvex>(p.CreateModel()).Lambda);
        Assert.Equal(PartitionMode.Sharded, p.Partition);
        Assert.Equal(ComputeTimeKind.Normal, p.ComputeTime);
        Assert.Equal(SpeedProfile.Linear, p.Speeds);
        Assert.Equal(3.0, p.ScaleOf(2)); // s_i = i (1-based), as in AsGrad
        Assert.All(p.Start(), v => Assert.Equal(1.0, v));
        Assert.Equal(5UL, p.Seed);
    }

    [Fact]
    public void Metric_budget_grid_and_heavy_tailed_speeds_are_read_and_f_star_comes_from_the_exact_solver()
    {
        var settings = AsgdSettingsReader.Load(_files.Write("small.conf", ExperimentFixture.SmallProblem),
        [
            "decentral.model.objective = least-squares",
            "decentral.model.lambda = 0",
            "decentral.experiment.asgd.metric = suboptimality",
            "decentral.experiment.asgd.select = gradients-to-target",
            "decentral.experiment.asgd.budget { steps = null, gradients = 300 }",
            "decentral.experiment.asgd.grid { factor = 4, max-widenings = 3 }",
            "decentral.experiment.asgd.compute-time { speeds = heavy-tailed, spread = 1.5 }",
        ]);

        Assert.Equal(ExperimentMetric.Suboptimality, settings.Metric);
        Assert.Equal(StepSizeSelection.GradientsToTarget, settings.Selection);
        Assert.Equal(300, settings.MaxGradients);
        Assert.Null(settings.MaxSteps);
        Assert.Equal((true, 4.0, 3), (settings.WidenGrid, settings.GridFactor, settings.MaxWidenings));
        var exact = Nodes.Optimization.ExactSolver.Solve(settings.Problem.GlobalObjective());
        Assert.Equal(exact.Value, settings.OptimalValue);
        Assert.Equal(0.25, settings.MetricOf(new TraceSample(1, 1, 0.5, exact.Value + 0.25, 0)), 12);

        // Log-normal speeds: drawn once per worker from the seed, median = scale, and not all equal.
        Assert.Equal(SpeedProfile.HeavyTailed, settings.Problem.Speeds);
        var scales = Enumerable.Range(0, 4).Select(settings.Problem.ScaleOf).ToList();
        Assert.Equal(scales, Enumerable.Range(0, 4).Select(settings.Problem.ScaleOf));
        Assert.True(scales.Distinct().Count() == 4 && scales.All(v => v > 0));
        Assert.Equal(Math.Exp(1.5 * 0) * 1, settings.Problem.ComputeScale);
    }

    [Fact]
    public void Suboptimality_without_an_exact_solver_is_a_configuration_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => AsgdSettingsReader.Load(
            _files.Write("small.conf", ExperimentFixture.SmallProblem), ["decentral.experiment.asgd.metric = suboptimality"]));
        Assert.Contains(e.Errors, x => x.Key == "decentral.experiment.asgd.metric" && x.Problem.Contains("exact solver", StringComparison.Ordinal));
    }

    [Fact]
    public void Overrides_win_and_bad_worker_is_numbered_from_one()
    {
        var settings = AsgdSettingsReader.Load(_files.Write("small.conf", ExperimentFixture.SmallProblem),
        [
            "decentral.experiment.asgd.bad-worker = 4",
            "decentral.experiment.asgd.batch = 8",
            "decentral.experiment.asgd.budget { steps = null, time = 25 }",
            "decentral.experiment.asgd.seed = 77",
        ]);

        Assert.Equal(3, settings.BadWorker);
        Assert.False(settings.FullLocalGradients);
        Assert.Equal(8, settings.Problem.BatchSize);
        Assert.Null(settings.MaxSteps);
        Assert.Equal(25.0, settings.MaxTime);
        Assert.Equal(77UL, settings.Problem.Seed);
    }

    [Fact]
    public void Compare_bad_worker_runs_every_method_with_and_without_the_last_worker_slowed()
    {
        var settings = AsgdSettingsReader.Load(_files.Write("small.conf", ExperimentFixture.SmallProblem),
            ["decentral.experiment.asgd.compare-bad-worker = true", "decentral.experiment.asgd.methods = [pure]"]);
        var variants = settings.Variants();
        Assert.Equal(2, variants.Count);
        Assert.Equal(("pure", (int?)null), (variants[0].Label, variants[0].BadWorker));
        Assert.Equal(("pure (bad worker)", (int?)3), (variants[1].Label, variants[1].BadWorker));
    }

    [Theory]
    [InlineData("methods = [pure, hogwild]", "decentral.experiment.asgd.methods", "unknown method 'hogwild'")]
    [InlineData("methods = [shufle]", "decentral.experiment.asgd.methods", "did you mean 'shuffle'?")]
    [InlineData("methods = []", "decentral.experiment.asgd.methods", "expected at least one method")]
    [InlineData("step-sizes = []", "decentral.experiment.asgd.step-sizes", "step-size grid is empty")]
    [InlineData("step-sizes = [0.5, -1]", "decentral.experiment.asgd.step-sizes", "positive number, found -1")]
    [InlineData("compute-time.scale = 0", "decentral.experiment.asgd.compute-time.scale", "greater than 0")]
    [InlineData("compute-time.scales = [1, 2, 0, 4]", "decentral.experiment.asgd.compute-time.scales", "positive number, found 0")]
    [InlineData("compute-time.scales = [1, 2]", "decentral.experiment.asgd.compute-time.scales", "expected 4 scales")]
    [InlineData("budget { steps = null, time = -5 }", "decentral.experiment.asgd.budget.time", "positive number")]
    [InlineData("budget { steps = null, time = null }", "decentral.experiment.asgd.budget", "expected a budget")]
    [InlineData("workers = 0", "decentral.experiment.asgd.workers", "expected an integer from 1")]
    [InlineData("workers = 121", "decentral.experiment.asgd.workers", "only 120 rows")]
    [InlineData("bad-worker = 5", "decentral.experiment.asgd.bad-worker", "from 1 to 4")]
    [InlineData("batch = none", "decentral.experiment.asgd.batch", "expected full")]
    [InlineData("select = fastest", "decentral.experiment.asgd.select", "expected one of time-to-target, gradients-to-target, final, final-grad-norm")]
    [InlineData("step-size = [1]", "decentral.experiment.asgd.step-size", "unknown key; did you mean 'decentral.experiment.asgd.step-sizes'?")]
    public void Bad_input_is_a_configuration_error_naming_the_key(string line, string key, string expected)
    {
        var path = _files.Write("small.conf", ExperimentFixture.SmallProblem);
        var e = Assert.Throws<ConfigurationException>(() => AsgdSettingsReader.Load(path, ["decentral.experiment.asgd." + line]));
        Assert.Contains(e.Errors, error => error.Key == key && error.Problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_in_the_file_name_its_line()
    {
        var text = ExperimentFixture.SmallProblem.Replace("step-sizes = [0.5, 0.1]", "step-sizes = []", StringComparison.Ordinal);
        var path = _files.Write("bad.conf", text);
        var e = Assert.Throws<ConfigurationException>(() => AsgdSettingsReader.Load(path));
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("step-sizes", StringComparison.Ordinal)) + 1;
        Assert.Contains($"{path}:{line}:", e.Message, StringComparison.Ordinal);
    }
}
