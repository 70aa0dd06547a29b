namespace Decentral.Nodes.Optimization.Local;

/// <summary>The local optimizers by name (<c>decentral.sgd.optimizer</c>), and the checks they share.</summary>
public static class LocalOptimizers
{
    public const double DefaultMomentum = 0.9;

    /// <summary>Plain SGD (the default; what the paper's guarantees are about).</summary>
    public static ILocalOptimizer Sgd => SgdOptimizer.Instance;

    /// <summary>Heavy-ball momentum μ.</summary>
    public static ILocalOptimizer Momentum(double momentum = DefaultMomentum) => new MomentumOptimizer(momentum, nesterov: false);

    /// <summary>Nesterov momentum μ.</summary>
    public static ILocalOptimizer Nesterov(double momentum = DefaultMomentum) => new MomentumOptimizer(momentum, nesterov: true);

    /// <summary>Adam with bias correction.</summary>
    public static ILocalOptimizer Adam(double beta1 = AdamOptimizer.DefaultBeta1, double beta2 = AdamOptimizer.DefaultBeta2, double epsilon = AdamOptimizer.DefaultEpsilon) =>
        new AdamOptimizer(beta1, beta2, epsilon);

    internal static void CheckShapes(ReadOnlySpan<double> gradient, ReadOnlySpan<double> x, Span<double> y)
    {
        if (gradient.Length != x.Length || y.Length != x.Length)
        {
            throw new ArgumentException($"Gradient ({gradient.Length}), x ({x.Length}) and y ({y.Length}) must have the same length.", nameof(y));
        }
    }

    internal static void CheckState(ILocalOptimizer optimizer, ReadOnlySpan<double> state, int dimension)
    {
        if (state.Length != optimizer.StateLength(dimension))
        {
            throw new ArgumentException($"{optimizer.Name} keeps {optimizer.StateLength(dimension)} doubles of state for dimension {dimension}, got {state.Length}.", nameof(state));
        }
    }
}
