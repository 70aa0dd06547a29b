namespace Decentral.Nodes.Optimization.Local;

/// <summary>Plain SGD, yₜ = xₜ − ηₜ gₜ, with no state: the step Attiya and Schiller's analysis covers (the default).</summary>
public sealed record SgdOptimizer : ILocalOptimizer
{
    public static SgdOptimizer Instance { get; } = new();

    public string Name => "sgd";

    public int StateLength(int dimension) => 0;

    public void Init(Span<double> state)
    {
    }

    public void Update(ReadOnlySpan<double> gradient, double eta, ReadOnlySpan<double> x, Span<double> state, Span<double> y)
    {
        LocalOptimizers.CheckShapes(gradient, x, y);
        // The same loop (and rounding) as before optimizers were pluggable: runs reproduce bit for bit.
        for (var k = 0; k < y.Length; k++)
        {
            y[k] = x[k] - (eta * gradient[k]);
        }
    }

    public override string ToString() => Name;
}
