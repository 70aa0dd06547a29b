namespace Decentral.Nodes.Optimization.Local;

/// <summary>
/// The local step that turns a node's stochastic gradient gₜ at xₜ into yₜ, as an explicit state
/// machine in the manner of Optax's <c>GradientTransformation</c>: the optimizer itself is immutable
/// configuration; its state is a flat vector the caller owns, sizes with <see cref="StateLength"/>,
/// sets up with <see cref="Init"/>, and hands to every <see cref="Update"/> — so a checkpoint can save it
/// and a restarted node resume it. The state is the node's own: agreement acts on the parameters only.
/// </summary>
public interface ILocalOptimizer
{
    /// <summary>The configured name (<c>decentral.sgd.optimizer</c>), also stored with checkpointed state.</summary>
    string Name { get; }

    /// <summary>Doubles of state for a model of <paramref name="dimension"/> parameters (0 for plain SGD).</summary>
    int StateLength(int dimension);

    /// <summary>Writes the state of a node that has taken no step yet (length <see cref="StateLength"/>).</summary>
    void Init(Span<double> state);

    /// <summary>
    /// One step with step size <paramref name="eta"/>: writes yₜ into <paramref name="y"/> from xₜ and gₜ and
    /// advances <paramref name="state"/> in place.
    /// </summary>
    void Update(ReadOnlySpan<double> gradient, double eta, ReadOnlySpan<double> x, Span<double> state, Span<double> y);
}
