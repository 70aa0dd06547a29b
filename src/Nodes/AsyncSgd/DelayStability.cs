using Decentral.Nodes.Objectives;
using System.Numerics.Tensors;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// What a delay implies for the step size. For gradient descent with a constant delay τ on a quadratic
/// whose largest curvature is L (x_{k+1} = x_k − η L x_{k−τ} along the top eigen-direction), the
/// iteration is stable exactly when η L &lt; 2 sin(π / (2(2τ + 1))) (τ = 0: η &lt; 2/L; large τ: ≈ π/(2τ+1)/L).
/// This is the number that explains a diverging η: with every delay ≈ M − 1 = 39 and L ≈ 0.25, the limit
/// is ≈ 0.16. L is estimated at a point by power iteration on Hessian-vector products (finite
/// differences of gradients, exact for least squares).
/// </summary>
public static class DelayStability
{
    /// <summary>The largest stable constant η for delay τ and curvature L.</summary>
    public static double StableStep(double smoothness, double delay)
    {
        if (!(smoothness > 0 && double.IsFinite(smoothness)))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothness), smoothness, "L must be positive and finite.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        return 2 * Math.Sin(Math.PI / (2 * ((2 * delay) + 1))) / smoothness;
    }

    /// <summary>
    /// The largest eigenvalue magnitude of ∇²f at <paramref name="x"/> (the local smoothness constant; for
    /// a non-convex f the dominant eigenvalue may be negative) by power iteration with Hessian-vector
    /// products H v ≈ (∇f(x + h v) − ∇f(x)) / h; deterministic (starts from the all-ones direction).
    /// </summary>
    public static double Smoothness(IObjective objective, ReadOnlySpan<double> x, int iterations = 60)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var d = x.Length;
        var g0 = new double[d];
        var g1 = new double[d];
        var v = new double[d];
        var probe = new double[d];
        objective.Gradient(x, g0);
        for (var i = 0; i < d; i++)
        {
            v[i] = 1.0 + (0.01 * (i % 7)); // not orthogonal to the top direction in any realistic problem
        }
        var lambda = 0.0;
        var scale = Math.Max(1, TensorPrimitives.Norm(x));
        for (var k = 0; k < iterations; k++)
        {
            var norm = TensorPrimitives.Norm(v);
            if (!(norm > 0))
            {
                return Math.Abs(lambda);
            }
            TensorPrimitives.Divide(v, norm, v);
            var h = 1e-4 * scale;
            TensorPrimitives.MultiplyAdd(v, h, x, probe);
            objective.Gradient(probe, g1);
            TensorPrimitives.Subtract(g1, g0, g1);
            TensorPrimitives.Divide(g1, h, g1);
            var next = TensorPrimitives.Dot(v, g1);
            g1.AsSpan().CopyTo(v);
            if (k > 5 && Math.Abs(next - lambda) <= 1e-6 * Math.Abs(next))
            {
                return Math.Abs(next);
            }
            lambda = next;
        }
        return Math.Abs(lambda);
    }
}
