using Decentral.Nodes.Compute;
using MathNet.Numerics.Distributions;

namespace Decentral.Nodes.Tests.Compute;

public sealed class ComputeTimeModelTests
{
    private const ulong Seed = 99;
    private const int Samples = 20_000;

    private static (double Mean, double[] Values) Draw(ComputeTimeModel model)
    {
        var values = new double[Samples];
        for (var k = 0; k < Samples; k++)
        {
            values[k] = model.Seconds(k);
        }
        return (values.Average(), values);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    public void Poisson_mean_is_s(double s)
    {
        var (mean, values) = Draw(ComputeTimeModel.Poisson(s, Seed, worker: 2));
        // Poisson(s): variance s; the sample mean's standard error is √(s/n).
        Assert.True(Math.Abs(mean - s) < 5 * Math.Sqrt(s / Samples), $"seed {Seed}: mean {mean}, s {s}");
        Assert.All(values, v => Assert.True(v >= 0 && v == Math.Floor(v)));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public void Normal_mean_is_one_plus_the_folded_normal_mean(double s)
    {
        var (mean, values) = Draw(ComputeTimeModel.Normal(s, Seed, worker: 1));
        // E|X| for X ~ N(μ, σ²): σ√(2/π)·e^(−μ²/2σ²) + μ(1 − 2Φ(−μ/σ)); here μ = σ = s.
        var folded = s * Math.Sqrt(2 / Math.PI) * Math.Exp(-0.5) + s * (1 - 2 * Normal.CDF(0, 1, -1));
        var expected = 1 + folded;
        var variance = s * s + s * s - folded * folded; // E X² − (E|X|)²
        Assert.True(Math.Abs(mean - expected) < 5 * Math.Sqrt(variance / Samples), $"seed {Seed}: mean {mean}, expected {expected}");
        Assert.All(values, v => Assert.True(v >= 1));
    }

    [Fact]
    public void Fixed_and_none_are_constant()
    {
        Assert.All(Draw(ComputeTimeModel.Fixed(2.5)).Values, v => Assert.Equal(2.5, v));
        Assert.All(Draw(ComputeTimeModel.None).Values, v => Assert.Equal(0.0, v));
        Assert.Equal(TimeSpan.FromSeconds(2.5), ComputeTimeModel.Fixed(2.5).Duration(3));
    }

    [Fact]
    public void Durations_are_a_pure_function_of_seed_worker_and_job()
    {
        var a = ComputeTimeModel.Normal(2, Seed, worker: 5);
        var b = ComputeTimeModel.Normal(2, Seed, worker: 5);
        Assert.Equal(a.Seconds(17), b.Seconds(17));
        Assert.Equal(a.Seconds(17), a.Seconds(17));
        Assert.NotEqual(a.Seconds(17), a.Seconds(18));
        Assert.NotEqual(a.Seconds(17), ComputeTimeModel.Normal(2, Seed, worker: 6).Seconds(17));
        Assert.NotEqual(a.Seconds(17), ComputeTimeModel.Normal(2, Seed + 1, worker: 5).Seconds(17));
    }

    [Theory]
    [InlineData(ComputeTimeKind.Fixed, 0.0)]
    [InlineData(ComputeTimeKind.Poisson, -1.0)]
    [InlineData(ComputeTimeKind.Normal, double.NaN)]
    public void Non_positive_scale_is_rejected(ComputeTimeKind kind, double s)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ComputeTimeModel.Create(kind, s, Seed, 0));
        Assert.Equal("s", e.ParamName);
    }

    [Fact]
    public void Kinds_parse_by_name()
    {
        Assert.Equal(ComputeTimeKind.Normal, ComputeTimeModel.ParseKind("Normal"));
        Assert.Equal(ComputeTimeKind.None, ComputeTimeModel.ParseKind(" none "));
        Assert.Throws<ArgumentException>(() => ComputeTimeModel.ParseKind("gamma"));
        Assert.Equal("poisson(3)", ComputeTimeModel.Poisson(3, Seed, 0).ToString());
    }
}
