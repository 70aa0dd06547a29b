using System.Globalization;
using System.Xml.Linq;
using Decentral.Experiments;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Data;
using Decentral.Nodes.Training;

namespace Decentral.Host.Tests.Experiments;

public sealed class SelectionAndPlotTests
{
    private static readonly AsyncRunOptions AnyOptions = new()
    {
        Problem = new TrainingSpec { Data = Dataset.FromDense([[1.0], [2.0]], [1.0, -1.0]) },
        Method = AsyncMethod.Pure,
        Workers = 1,
        StepSize = 1,
        MaxSteps = 1,
    };

    /// <summary>A grid run whose trace falls from 1 to <paramref name="final"/>, passing <paramref name="target"/> at time <paramref name="hit"/>.</summary>
    private static GridRun Run(double eta, double final, double? hit, RunEnd end = RunEnd.StepBudget)
    {
        var samples = new List<TraceSample> { new(0, 0, 1, 1, 0) };
        if (hit is { } t)
        {
            samples.Add(new TraceSample(t, 10, 0.01, 0.5, 1));
        }
        samples.Add(new TraceSample(100, 20, final, 0.4, 1));
        var result = new AsyncRunResult
        {
            Options = AnyOptions, Samples = samples, Events = [], Arrivals = 20, ArrivalsByKind = [20, 0, 0, 0], Delays = new DelayHistogram(),
            FinalModel = [0.0], Steps = 20, Time = 100, End = end,
        };
        return new GridRun(eta, result, end == RunEnd.Diverged ? null : hit, hit is null ? null : 10);
    }

    [Fact]
    public void Time_to_target_picks_the_fastest_step_size_that_reaches_the_target()
    {
        var best = AsgdExperiment.SelectBest([Run(1, 0.001, 50), Run(0.5, 0.0001, 30), Run(0.25, 0.00001, null)], StepSizeSelection.TimeToTarget);
        Assert.Equal(0.5, best.StepSize);
    }

    [Fact]
    public void Without_any_run_reaching_the_target_the_smallest_final_norm_wins()
    {
        var best = AsgdExperiment.SelectBest([Run(1, 0.3, null), Run(0.5, 0.2, null), Run(0.25, 0.25, null)], StepSizeSelection.TimeToTarget);
        Assert.Equal(0.5, best.StepSize);
    }

    [Fact]
    public void Diverged_runs_are_never_chosen_unless_everything_diverged()
    {
        var best = AsgdExperiment.SelectBest([Run(1, 1e-9, 1, RunEnd.Diverged), Run(0.5, 0.2, null)], StepSizeSelection.FinalGradientNorm);
        Assert.Equal(0.5, best.StepSize);
        var fallback = AsgdExperiment.SelectBest([Run(1, 5, null, RunEnd.Diverged), Run(0.5, 7, null, RunEnd.Diverged)], StepSizeSelection.TimeToTarget);
        Assert.Equal(0.5, fallback.StepSize);
    }

    [Theory]
    [InlineData(0.7, 1)]
    [InlineData(1.3, 2)]
    [InlineData(2.2, 2.5)]
    [InlineData(3.1, 5)]
    [InlineData(83, 100)]
    [InlineData(0.012, 0.02)]
    public void Nice_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten(double rough, double nice)
    {
        Assert.Equal(nice, SvgPlot.NiceStep(rough), 12);
    }

    [Fact]
    public void The_plot_has_a_log_axis_covering_the_data_and_one_line_per_series()
    {
        var series = new[]
        {
            new PlotSeries("a", [(0, 3.0), (10, 0.02), (20, 0.004)], 0),
            new PlotSeries("b", [(0, 3.0), (15, 0.5), (30, double.NaN), (40, 0.1)], 1, Dashed: true),
        };
        var svg = XDocument.Parse(SvgPlot.Render("title", "time", "norm", series, target: 0.01));
        XNamespace ns = "http://www.w3.org/2000/svg";

        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(3, Points(lines[0]).Count);
        Assert.Equal(2, Points(lines[1]).Count); // stops at the first non-finite value
        Assert.NotNull(lines[1].Attribute("stroke-dasharray"));

        // Decade labels 1e-3 … 10 bracket [0.004, 3]; every point lies inside the plot box.
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("1e-3", texts);
        Assert.Contains("10", texts);
        Assert.DoesNotContain("1e-4", texts);
        Assert.Contains("target 0.01", texts);
        var box = svg.Descendants(ns + "rect").Last();
        var (bx, by) = (Attr(box, "x"), Attr(box, "y"));
        var (bw, bh) = (Attr(box, "width"), Attr(box, "height"));
        Assert.All(lines.SelectMany(Points), p => Assert.True(p.X >= bx && p.X <= bx + bw && p.Y >= by && p.Y <= by + bh, $"{p} outside the box"));

        // Log scale: equal ratios are equal distances (3 → 0.02 vs 0.02 → 0.004 in series a).
        var a = Points(lines[0]);
        var perDecade = (a[1].Y - a[0].Y) / Math.Log10(3 / 0.02);
        Assert.Equal(perDecade, (a[2].Y - a[1].Y) / Math.Log10(0.02 / 0.004), 1);
    }

    [Fact]
    public void A_line_running_far_longer_than_the_others_is_cut_and_says_so()
    {
        static GridRun Ending(double end) => new(0.1, new AsyncRunResult
        {
            Options = AnyOptions,
            Samples = [new(0, 0, 1, 1, 0), new(end / 2, 5, 0.1, 0.5, 0), new(end, 10, 0.05, 0.4, 0)],
            Events = [],
            Arrivals = 10,
            ArrivalsByKind = [10, 0, 0, 0],
            Delays = new DelayHistogram(),
            FinalModel = [0.0],
            Steps = 10,
            Time = end,
            End = RunEnd.StepBudget,
        }, null, null);
        var settings = new AsgdExperimentSettings
        {
            Problem = AnyOptions.Problem,
            Methods = [AsyncMethod.Minibatch, AsyncMethod.Pure, AsyncMethod.Shuffle],
            StepSizes = [0.1],
            Workers = 1,
            MaxSteps = 10,
            Target = 0.01,
        };
        var outcomes = new[] { (AsyncMethod.Minibatch, 100.0), (AsyncMethod.Pure, 10.0), (AsyncMethod.Shuffle, 12.0) }
            .Select(p => new MethodOutcome(new MethodVariant(p.Item1.Name, p.Item1, null), [Ending(p.Item2)], Ending(p.Item2)))
            .ToList();
        var result = new AsgdExperimentResult(settings, outcomes, new TheoryReport([], 0, 1e-4));

        var svg = XDocument.Parse(AsgdReport.Plot(result));
        XNamespace ns = "http://www.w3.org/2000/svg";

        // The axis ends at 1.25 × 12 = 15; the minibatch line stops there and its legend says so.
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("cut at t = 15 (runs to 100)", texts);
        Assert.Contains("15", texts);
        Assert.DoesNotContain("100", texts);
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Single(Points(lines[0])); // of t = 0, 50, 100 only t = 0 lies inside
        var box = svg.Descendants(ns + "rect").Last();
        Assert.All(lines.SelectMany(Points), p => Assert.True(p.X <= Attr(box, "x") + Attr(box, "width") + 1e-9));
    }

    private static List<(double X, double Y)> Points(XElement polyline) =>
        [.. polyline.Attribute("points")!.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];

    private static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);
}
