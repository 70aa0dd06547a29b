namespace Decentral.Nodes.Optimization.Local;

/// <summary>
/// SGD with momentum μ, as PyTorch writes it (no dampening): vₜ = μ vₜ₋₁ + gₜ, then heavy ball
/// yₜ = xₜ − η vₜ or, with <see cref="Nesterov"/>, yₜ = xₜ − η (gₜ + μ vₜ). State: v (d doubles, zero at start).
/// </summary>
public sealed record MomentumOptimizer : ILocalOptimizer
{
    public MomentumOptimizer(double momentum, bool nesterov)
    {
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum μ must lie in [0, 1).");
        }
        Momentum = momentum;
        Nesterov = nesterov;
    }

    public double Momentum { get; }

    public bool Nesterov { get; }

    public string Name => Nesterov ? "nesterov" : "momentum";

    public int StateLength(int dimension) => dimension;

    public void Init(Span<double> state) => state.Clear();

    public void Update(ReadOnlySpan<double> gradient, double eta, ReadOnlySpan<double> x, Span<double> state, Span<double> y)
    {
        LocalOptimizers.CheckShapes(gradient, x, y);
        LocalOptimizers.CheckState(this, state, x.Length);
        var mu = Momentum;
        for (var k = 0; k < y.Length; k++)
        {
            var v = (mu * state[k]) + gradient[k];
            state[k] = v;
            y[k] = x[k] - (eta * (Nesterov ? gradient[k] + (mu * v) : v));
        }
    }

    public override string ToString() => $"{Name}:{StepSize.Fmt(Momentum)}";
}
