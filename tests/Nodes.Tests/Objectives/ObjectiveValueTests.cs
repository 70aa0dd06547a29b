using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using MathNet.Numerics.LinearAlgebra;

namespace Decentral.Nodes.Tests.Objectives;

public sealed class ObjectiveValueTests
{
    // Three rows, hand-computable: a = (1, 2), (−1, 0), (0, 3); b = +1, −1, +1.
    private static readonly Dataset Tiny = Dataset.FromDense([[1.0, 2.0], [-1.0, 0.0], [0.0, 3.0]], [1.0, -1.0, 1.0]);
    private static readonly double[] X = [0.3, -0.2];

    private static double[] Margins() => [1 * (0.3 - 0.4), -1 * (-0.3), 1 * (-0.6)];

    [Fact]
    public void LogisticNonConvex_value_is_the_direct_formula()
    {
        var expected = Margins().Average(m => Math.Log(1 + Math.Exp(-m)))
            + 0.1 * (0.09 / 1.09 + 0.04 / 1.04);
        Assert.Equal(expected, Glms.LogisticNonConvex(Tiny, 0.1).Value(X), 14);
    }

    [Fact]
    public void LogisticL2_value_is_the_direct_formula()
    {
        var expected = Margins().Average(m => Math.Log(1 + Math.Exp(-m))) + 0.05 * (0.09 + 0.04);
        Assert.Equal(expected, Glms.LogisticL2(Tiny, 0.1).Value(X), 14);
    }

    [Fact]
    public void LeastSquares_value_is_the_direct_formula()
    {
        double[] residuals = [0.3 - 0.4 - 1, -0.3 + 1, -0.6 - 1];
        var expected = 0.5 * residuals.Average(r => r * r) + 0.1 / 2 * 0.13;
        Assert.Equal(expected, Glms.LeastSquares(Tiny, 0.1).Value(X), 14);
    }

    [Theory]
    [InlineData(1e4)]
    [InlineData(-1e4)]
    [InlineData(800)]
    [InlineData(-800)]
    public void Logistic_loss_and_gradient_stay_finite_and_exact_at_huge_margins(double margin)
    {
        // One row a = (1), b = +1, so the margin is x itself.
        var data = Dataset.FromDense([[1.0]], [1.0]);
        var objective = Glms.LogisticL2(data, 0);
        var g = new double[1];
        var value = objective.Gradient([margin], g);

        // log(1+e^−m): ≈ −m for m ≪ 0, ≈ e^−m (underflowing to 0 at 1e4) for m ≫ 0; slope −σ(−m).
        var expectedValue = margin < 0 ? -margin : Math.Exp(-margin);
        var expectedSlope = margin < 0 ? -1.0 : -Math.Exp(-margin);
        Assert.True(double.IsFinite(value) && double.IsFinite(g[0]), $"value {value}, gradient {g[0]}");
        Assert.Equal(expectedValue, value, 9);
        Assert.Equal(expectedSlope, g[0], 12);
    }

    [Fact]
    public void Stable_helpers_keep_precision_in_the_tails()
    {
        Assert.Equal(Math.Exp(-50), StableMath.Softplus(-50), 1e-35);      // naive log(1+e^−50) rounds to 0
        Assert.Equal(1e-20, StableMath.Log1P(1e-20), 1e-36);
        Assert.Equal(0.0, StableMath.Sigmoid(-1e4));
        Assert.Equal(1.0, StableMath.Sigmoid(1e4));
        Assert.Equal(Math.Log(2), StableMath.Softplus(0), 15);
    }

    [Theory]
    [InlineData("nonconvex")]
    [InlineData("l2")]
    [InlineData("squares-l2")]
    public void Smoothness_estimate_bounds_the_largest_hessian_eigenvalue(string kind)
    {
        // Independent check: the largest eigenvalue of a finite-difference Hessian at a few points.
        var data = ObjectiveGradientTests.SmallData();
        var objective = ObjectiveGradientTests.Make(kind, data);
        var d = objective.Dimension;
        for (var p = 0; p < 3; p++)
        {
            var x = ObjectiveGradientTests.RandomPoint(d, 1000 + (ulong)p, scale: 0.1 * p);
            var hessian = Matrix<double>.Build.Dense(d, d);
            const double h = 1e-5;
            var gp = new double[d];
            var gm = new double[d];
            for (var j = 0; j < d; j++)
            {
                var plus = (double[])x.Clone();
                var minus = (double[])x.Clone();
                plus[j] += h;
                minus[j] -= h;
                objective.Gradient(plus, gp);
                objective.Gradient(minus, gm);
                for (var i = 0; i < d; i++)
                {
                    hessian[i, j] = (gp[i] - gm[i]) / (2 * h);
                }
            }
            var symmetric = (hessian + hessian.Transpose()) / 2;
            var largest = symmetric.Evd().EigenValues.Max(e => e.Magnitude);
            Assert.True(largest <= Glms.Smoothness(objective) * (1 + 1e-6),
                $"{kind} at point {p}: λ_max {largest} > L {Glms.Smoothness(objective)}");
        }
    }
}
