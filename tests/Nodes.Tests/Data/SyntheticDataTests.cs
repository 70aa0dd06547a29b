using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class SyntheticDataTests
{
    [Fact]
    public void Least_squares_targets_are_the_planted_model_plus_small_noise()
    {
        const double noise = 1e-5;
        var problem = SyntheticData.LeastSquares(500, 40, seed: 3, noise);
        var data = problem.Data;
        var x = problem.TrueModel.ToArray();
        var sumSquares = 0.0;
        for (var i = 0; i < data.Rows; i++)
        {
            Assert.Equal(40, data.Indices(i).Length);
            foreach (var v in data.Values(i))
            {
                Assert.InRange(v, 0, 1 / Math.Sqrt(40)); // U(0,1)/√d
            }
            var r = data.Label(i) - data.Dot(i, x);
            sumSquares += r * r;
        }
        // The residual is the noise: its RMS is ≈ noise (χ² with 500 degrees of freedom).
        Assert.InRange(Math.Sqrt(sumSquares / data.Rows), 0.8 * noise, 1.2 * noise);
    }

    [Fact]
    public void Same_seed_same_data_other_seed_other_data()
    {
        var a = SyntheticData.Logistic(50, 6, seed: 1, density: 0.5);
        var b = SyntheticData.Logistic(50, 6, seed: 1, density: 0.5);
        var c = SyntheticData.Logistic(50, 6, seed: 2, density: 0.5);
        Assert.Equal(a.TrueModel, b.TrueModel);
        Assert.Equal(a.Data.Labels.ToArray(), b.Data.Labels.ToArray());
        Assert.Equal(a.Data.Values(7).ToArray(), b.Data.Values(7).ToArray());
        Assert.NotEqual(a.TrueModel, c.TrueModel);
    }

    [Fact]
    public void Logistic_labels_follow_the_planted_model()
    {
        var problem = SyntheticData.Logistic(4000, 10, seed: 5);
        var x = problem.TrueModel.ToArray();
        var agree = 0;
        for (var i = 0; i < problem.Data.Rows; i++)
        {
            agree += Math.Sign(problem.Data.Dot(i, x)) == (int)problem.Data.Label(i) ? 1 : 0;
        }
        // With typical margin 2, sign agreement is well above chance (≈ 0.75 here) but not perfect.
        Assert.InRange((double)agree / problem.Data.Rows, 0.65, 0.95);
    }

    [Fact]
    public void Invalid_parameters_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Logistic(0, 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Logistic(3, 3, 1, density: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.LeastSquares(3, 3, 1, noise: -1));
    }
}
