using Decentral.Experiments;

namespace Decentral.Host.Tests.Experiments;

/// <summary>The step-size search cannot stop at an edge of its grid (issue 16), and keeps only each method's best trace.</summary>
public sealed class GridWideningTests : IDisposable
{
    private readonly ExperimentFixture _files = new();

    public void Dispose() => _files.Dispose();

    private AsgdExperimentSettings Settings(params string[] overrides) =>
        AsgdSettingsReader.Load(_files.Write("small.conf", ExperimentFixture.SmallProblem),
        [
            "decentral.experiment.asgd.methods = [minibatch, pure]",
            "decentral.experiment.asgd.select = final",
            .. overrides,
        ]);

    [Fact]
    public void A_grid_far_below_the_best_step_widens_upwards_until_the_best_step_is_interior()
    {
        var settings = Settings("decentral.experiment.asgd.step-sizes = [0.01, 0.02]", "decentral.experiment.asgd.grid.max-widenings = 14");
        var streamed = new List<(string Method, double Eta, int Samples)>();

        var result = AsgdExperiment.Run(settings, onRun: (v, run) => streamed.Add((v.Label, run.StepSize, run.Result.Samples.Count)));

        foreach (var m in result.Methods)
        {
            Assert.False(m.BestAtEdge, $"{m.Variant.Label}: best η {m.Best.StepSize} at an edge of {string.Join(", ", m.Grid)}");
            Assert.True(m.Best.StepSize > 0.02);
            // The step above the best is worse (or diverged): the search really bracketed it.
            var above = m.Runs.First(r => r.StepSize > m.Best.StepSize);
            Assert.True(!above.Usable || above.FinalMetric >= m.Best.FinalMetric);
            // Every run was streamed whole as it finished; only the best keeps its whole trace in memory.
            Assert.Equal(m.Grid, streamed.Where(s => s.Method == m.Variant.Label).Select(s => s.Eta).Order());
            Assert.All(streamed.Where(s => s.Method == m.Variant.Label), s => Assert.Equal(41, s.Samples));
            Assert.Equal(41, m.Best.Result.Samples.Count);
            Assert.All(m.Runs.Where(r => r != m.Best), r => Assert.Equal(2, r.Result.Samples.Count));
        }
    }

    [Fact]
    public void When_the_cap_stops_the_widening_the_edge_is_flagged_in_the_table()
    {
        var settings = Settings("decentral.experiment.asgd.step-sizes = [0.001, 0.002]", "decentral.experiment.asgd.grid.max-widenings = 1");

        var result = AsgdExperiment.Run(settings);

        Assert.All(result.Methods, m =>
        {
            Assert.True(m.BestAtEdge);
            Assert.Equal([0.001, 0.002, 0.004], m.Grid);
            Assert.Equal(0.004, m.Best.StepSize);
        });
        using var table = new StringWriter();
        AsgdReport.WriteTable(result, table);
        Assert.Contains("0.004 *", table.ToString(), StringComparison.Ordinal);
        Assert.Contains("grid tried for pure: 0.001, 0.002, 0.004", table.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Switching_the_widening_off_keeps_the_configured_grid()
    {
        var result = AsgdExperiment.Run(Settings("decentral.experiment.asgd.step-sizes = [0.001, 0.002]", "decentral.experiment.asgd.grid.widen = false"));
        Assert.All(result.Methods, m => Assert.Equal([0.001, 0.002], m.Grid));
    }
}
