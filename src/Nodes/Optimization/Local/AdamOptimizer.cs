namespace Decentral.Nodes.Optimization.Local;

/// <summary>
/// Adam (Kingma and Ba) with bias correction: mₜ = β₁ mₜ₋₁ + (1 − β₁) gₜ, vₜ = β₂ vₜ₋₁ + (1 − β₂) gₜ²,
/// yₜ = xₜ − η m̂ₜ / (√v̂ₜ + ε) with m̂ₜ = mₜ/(1 − β₁ᵏ), v̂ₜ = vₜ/(1 − β₂ᵏ) after k local steps. State:
/// m (d doubles), v (d doubles) and k (one double) — a node that skips iterations counts only its own steps.
/// </summary>
public sealed record AdamOptimizer : ILocalOptimizer
{
    public const double DefaultBeta1 = 0.9;
    public const double DefaultBeta2 = 0.999;
    public const double DefaultEpsilon = 1e-8;

    public AdamOptimizer(double beta1 = DefaultBeta1, double beta2 = DefaultBeta2, double epsilon = DefaultEpsilon)
    {
        Beta1 = CheckBeta(beta1, nameof(beta1));
        Beta2 = CheckBeta(beta2, nameof(beta2));
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Adam's ε must be a positive number.");
        }
        Epsilon = epsilon;
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public string Name => "adam";

    public int StateLength(int dimension) => (2 * dimension) + 1;

    public void Init(Span<double> state) => state.Clear();

    public void Update(ReadOnlySpan<double> gradient, double eta, ReadOnlySpan<double> x, Span<double> state, Span<double> y)
    {
        LocalOptimizers.CheckShapes(gradient, x, y);
        LocalOptimizers.CheckState(this, state, x.Length);
        var d = x.Length;
        var m = state[..d];
        var v = state.Slice(d, d);
        var steps = state[2 * d] + 1;
        state[2 * d] = steps;
        var correction1 = 1 - Math.Pow(Beta1, steps);
        var correction2 = 1 - Math.Pow(Beta2, steps);
        for (var k = 0; k < d; k++)
        {
            var g = gradient[k];
            var mk = (Beta1 * m[k]) + ((1 - Beta1) * g);
            var vk = (Beta2 * v[k]) + ((1 - Beta2) * g * g);
            m[k] = mk;
            v[k] = vk;
            y[k] = x[k] - (eta * (mk / correction1) / (Math.Sqrt(vk / correction2) + Epsilon));
        }
    }

    public override string ToString() => $"adam:{StepSize.Fmt(Beta1)}:{StepSize.Fmt(Beta2)}:{StepSize.Fmt(Epsilon)}";

    private static double CheckBeta(double beta, string name) =>
        beta >= 0 && beta < 1 ? beta : throw new ArgumentOutOfRangeException(name, beta, "Adam's β must lie in [0, 1).");
}
