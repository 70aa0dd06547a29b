using Decentral.Nodes.Optimization.Local;

namespace Decentral.Nodes.Tests.Optimization;

/// <summary>Each local optimizer against its update rule written out by hand, two steps deep (so the state matters).</summary>
public sealed class LocalOptimizerTests
{
    private static readonly double[] X = [1.0, -2.0, 0.5];
    private static readonly double[] G1 = [0.3, -0.1, 2.0];
    private static readonly double[] G2 = [-0.2, 0.4, 1.0];
    private const double Eta = 0.1;

    private static (double[] Y1, double[] Y2, double[] State) TwoSteps(ILocalOptimizer optimizer)
    {
        var state = new double[optimizer.StateLength(X.Length)];
        optimizer.Init(state);
        var y1 = new double[X.Length];
        var y2 = new double[X.Length];
        optimizer.Update(G1, Eta, X, state, y1);
        optimizer.Update(G2, Eta, y1, state, y2);
        return (y1, y2, state);
    }

    [Fact]
    public void Sgd_is_x_minus_eta_g_and_keeps_no_state()
    {
        var (y1, y2, state) = TwoSteps(LocalOptimizers.Sgd);
        Assert.Empty(state);
        Assert.Equal([X[0] - (Eta * G1[0]), X[1] - (Eta * G1[1]), X[2] - (Eta * G1[2])], y1);
        Assert.Equal([y1[0] - (Eta * G2[0]), y1[1] - (Eta * G2[1]), y1[2] - (Eta * G2[2])], y2);
    }

    [Fact]
    public void Heavy_ball_accumulates_velocity()
    {
        const double mu = 0.9;
        var (y1, y2, state) = TwoSteps(LocalOptimizers.Momentum(mu));
        for (var k = 0; k < X.Length; k++)
        {
            var v2 = (mu * G1[k]) + G2[k];
            Assert.Equal(X[k] - (Eta * G1[k]), y1[k], 15);
            Assert.Equal(y1[k] - (Eta * v2), y2[k], 15);
            Assert.Equal(v2, state[k], 15);
        }
    }

    [Fact]
    public void Nesterov_looks_ahead_along_the_velocity()
    {
        const double mu = 0.5;
        var (y1, y2, _) = TwoSteps(LocalOptimizers.Nesterov(mu));
        for (var k = 0; k < X.Length; k++)
        {
            var v1 = G1[k];
            var v2 = (mu * v1) + G2[k];
            Assert.Equal(X[k] - (Eta * (G1[k] + (mu * v1))), y1[k], 15);
            Assert.Equal(y1[k] - (Eta * (G2[k] + (mu * v2))), y2[k], 15);
        }
    }

    [Fact]
    public void Adam_corrects_its_bias_and_counts_its_steps()
    {
        const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var (y1, y2, state) = TwoSteps(LocalOptimizers.Adam(b1, b2, eps));
        Assert.Equal(2 * X.Length + 1, state.Length);
        Assert.Equal(2, state[^1]);
        for (var k = 0; k < X.Length; k++)
        {
            // Step 1: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε) ≈ η·sign(g).
            Assert.Equal(X[k] - (Eta * G1[k] / (Math.Abs(G1[k]) + eps)), y1[k], 12);
            var m = (b1 * (1 - b1) * G1[k]) + ((1 - b1) * G2[k]);
            var v = (b2 * (1 - b2) * G1[k] * G1[k]) + ((1 - b2) * G2[k] * G2[k]);
            var expected = y1[k] - (Eta * (m / (1 - (b1 * b1))) / (Math.Sqrt(v / (1 - (b2 * b2))) + eps));
            Assert.Equal(expected, y2[k], 12);
            Assert.Equal(m, state[k], 15);
            Assert.Equal(v, state[X.Length + k], 15);
        }
    }

    [Fact]
    public void Parameters_out_of_range_and_state_of_the_wrong_size_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalOptimizers.Momentum(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalOptimizers.Nesterov(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalOptimizers.Adam(beta2: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalOptimizers.Adam(epsilon: 0));
        var y = new double[3];
        Assert.Throws<ArgumentException>(() => LocalOptimizers.Adam().Update(G1, Eta, X, new double[6], y));
        Assert.Throws<ArgumentException>(() => LocalOptimizers.Momentum().Update(G1, Eta, X, new double[3], new double[2]));
    }
}
