using Decentral.Experiments;

namespace Decentral.Host.Tests.Experiments;

/// <summary>One small spread experiment (3 × 3 nodes, synthetic strongly convex logistic data, 80 iterations), run once for all claims.</summary>
public sealed class SpreadFixture : IDisposable
{
    public const string Config = """
        decentral {
          seed = 3
          cluster.sizes = [3, 3, 3]
          model { data = "", synthetic { rows = 360, features = 8 }, objective = logistic-l2, lambda = 0.05 }
          sgd.batch-size = 8
          agreement { rounds = 2, final-rounds = 0 }
          experiment.spread { iterations = 80, decay-t0 = 5, partition { cut = [c1], from = 15, until = 45 } }
        }
        """;

    private readonly ExperimentFixture _files = new();

    public SpreadFixture()
    {
        Settings = SpreadSettingsReader.Load(_files.Write("spread.conf", Config));
        Result = SpreadExperiment.Run(Settings);
    }

    public SpreadSettings Settings { get; }

    public SpreadResult Result { get; }

    public void Dispose() => _files.Dispose();
}

/// <summary>Attiya–Schiller's claims, each on the small setup of <see cref="SpreadFixture"/> (issue 16).</summary>
public sealed class SpreadExperimentTests(SpreadFixture fixture) : IClassFixture<SpreadFixture>
{
    private SpreadResult R => fixture.Result;

    [Fact]
    public void The_constant_step_is_the_papers_bound_and_final_rounds_are_off()
    {
        var s = fixture.Settings;
        Assert.True(s.StepIsPaperBound);
        var objective = s.Spec.Training.GlobalObjective();
        Assert.Equal(1.0 / (2 * objective.SmoothnessEstimate!.Value * objective.Dimension * ((3 / 2) + 1)), s.Step, 12);
        Assert.Equal(0, s.Spec.Protocol.FinalRounds);
        Assert.Equal(3, s.Any); // the cut-off cluster's nodes
    }

    [Fact]
    public void With_a_constant_step_within_the_condition_the_spread_stays_under_eta_C_at_every_iteration()
    {
        var run = R.Constant;
        Assert.True(run.Completed);
        Assert.Equal(80, run.Points.Count);
        Assert.True(run.MaxDiameter > 0, "the nodes never disagreed: nothing was measured");
        Assert.True(run.WorstRatio <= 1, $"Δcw exceeded η C: worst ratio {run.WorstRatio}");
    }

    [Fact]
    public void With_a_decreasing_step_the_spread_decays()
    {
        var run = R.Decreasing;
        Assert.True(run.Completed);
        var first = run.MeanDiameter(1, 20);
        var last = run.MeanDiameter(61, 80);
        Assert.True(last < 0.5 * first, $"mean Δcw {first} in iterations 1–20, {last} in 61–80");
        Assert.True(run.WorstRatio <= 1, $"Δcw exceeded the decreasing bound: worst ratio {run.WorstRatio}");
    }

    [Fact]
    public void With_any_M_both_sides_of_a_partition_keep_converging()
    {
        var p = R.Progress;
        Assert.True(R.Partition.Completed);
        Assert.True(p.Healed);
        Assert.True(p.CutAdvance >= 10 && p.RestAdvance >= 10, $"while cut apart: cut side +{p.CutAdvance}, rest +{p.RestAdvance}");
        // The loss keeps falling through the partition, as fast as without it (no split brain: both
        // sides approach the same x*).
        var fStar = R.OptimalValue!.Value;
        var start = R.Partition.Points[0].Loss - fStar;
        var end = R.Partition.FinalLoss - fStar;
        var unpartitioned = R.Constant.FinalLoss - fStar;
        Assert.True(end < 0.6 * start, $"f − f* {start} after iteration 1, {end} at the end");
        Assert.True(end < 1.1 * unpartitioned, $"f − f* {end} through the partition, {unpartitioned} without it");
    }

    [Fact]
    public void The_loss_follows_sequential_minibatch_SGD_with_the_same_number_of_gradients()
    {
        var fStar = R.OptimalValue!.Value;
        foreach (var (decentralized, sequential) in new[] { (R.Constant, R.Sequential), (R.Decreasing, R.SequentialDecreasing) })
        {
            var d = decentralized.FinalLoss - fStar;
            var s = sequential.FinalLoss - fStar;
            Assert.True(d <= (2 * s) + 1e-4 && s <= (2 * d) + 1e-4, $"{decentralized.Label}: f − f* {d}, sequential {s}");
        }
    }

    [Fact]
    public void The_report_writes_the_csv_and_plots_with_the_bound_drawn()
    {
        var dir = Path.Combine(Path.GetTempPath(), "decentral-spread-" + Guid.NewGuid().ToString("N"));
        try
        {
            SpreadReport.WriteFiles(R, dir);
            var lines = File.ReadAllLines(Path.Combine(dir, SpreadReport.CsvFile));
            Assert.Equal(SpreadReport.CsvHeader, lines[0]);
            Assert.Equal(1 + (5 * 80), lines.Length);
            var svg = File.ReadAllText(Path.Combine(dir, SpreadReport.SpreadPlotFile));
            Assert.Contains("bound, constant η", svg, StringComparison.Ordinal);
            Assert.Contains("stroke-dasharray", svg, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, SpreadReport.LossPlotFile)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
