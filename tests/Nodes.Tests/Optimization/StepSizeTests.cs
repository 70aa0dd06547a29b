using Decentral.Nodes.Optimization;

namespace Decentral.Nodes.Tests.Optimization;

public sealed class StepSizeTests
{
    [Fact]
    public void Schedules_follow_their_formulas()
    {
        Assert.Equal(0.1, StepSize.Constant(0.1).At(1000));
        Assert.Equal(0.5 / 3, StepSize.InverseSqrt(0.5).At(9), 15);
        Assert.Equal(0.5, StepSize.InverseSqrt(0.5).At(1), 15);
        Assert.Equal(0.8 / (1 + 50.0 / 100), StepSize.InverseTime(0.8, 100).At(50), 15);
    }

    [Fact]
    public void Paper_bound_is_one_over_two_L_d_half_m_plus_one()
    {
        // m = 3 clusters: ⌊3/2⌋ + 1 = 2; m = 4: 3.
        Assert.Equal(1.0 / (2 * 2.5 * 30 * 2), StepSize.PaperBound(2.5, 30, 3), 15);
        Assert.Equal(1.0 / (2 * 2.5 * 30 * 3), StepSize.PaperBound(2.5, 30, 4), 15);
        Assert.Equal(1.0 / (2 * 1.0 * 1 * 1), StepSize.PaperBound(1, 1, 1), 15);
    }

    [Theory]
    [InlineData("constant:0.25", 4, 0.25)]
    [InlineData(" Constant : 0.25 ", 4, 0.25)]
    [InlineData("inverse-sqrt:1", 4, 0.5)]
    [InlineData("inverse-time:1:2", 4, 1.0 / 3)]
    [InlineData("paper-bound", 4, 1.0 / 16)] // 1/(2·1·4·(⌊3/2⌋+1))
    public void Parse_builds_the_named_schedule(string text, long t, double expected)
    {
        var schedule = StepSize.Parse(text, (Smoothness: 1.0, Dimension: 4, Clusters: 3));
        Assert.Equal(expected, schedule.At(t), 15);
        Assert.Equal(schedule, StepSize.Parse(schedule.ToString()!, (1.0, 4, 3)));
    }

    [Theory]
    [InlineData("constant:0")]
    [InlineData("constant:-1")]
    [InlineData("inverse-sqrt:-0.5")]
    [InlineData("inverse-time:1:0")]
    [InlineData("constant:NaN")]
    public void Non_positive_values_are_rejected(string text)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.Parse(text));
        Assert.Contains("positive", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linear:0.1", "Unknown step size")]
    [InlineData("constant", "expected 1 number")]
    [InlineData("inverse-time:1", "expected 2 number")]
    [InlineData("constant:abc", "is not a number")]
    [InlineData("paper-bound", "needs the smoothness")]
    [InlineData("paper-bound:3", "takes no number")]
    public void Malformed_specifications_are_explained(string text, string fragment)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => StepSize.Parse(text));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructors_and_helpers_reject_bad_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.Constant(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.InverseTime(1, -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.PaperBound(0, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.PaperBound(1, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepSize.Constant(1).At(0));
    }
}
