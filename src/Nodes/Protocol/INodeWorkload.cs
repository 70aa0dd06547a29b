namespace Decentral.Nodes.Protocol;

/// <summary>
/// The local-computation part of a node: the stochastic gradient step and how long it takes.
/// Kept behind an interface so the protocol can be tested with tiny deterministic workloads.
/// </summary>
public interface INodeWorkload
{
    int Dimension { get; }

    /// <summary>x₁, the same for every node (nodes start in agreement).</summary>
    double[] InitialModel();

    /// <summary>y ← x − η_t·g_t(x) with this node's mini-batch of iteration t (steps 1–2).</summary>
    void Perturb(int iteration, ReadOnlySpan<double> x, Span<double> y);

    /// <summary>Simulated computation time of iteration t (zero for no compute-time model).</summary>
    TimeSpan ComputeDelay(int iteration);

    /// <summary>η_t, for reports (NaN when the workload has no step size).</summary>
    double StepSize(int iteration) => double.NaN;

    /// <summary>The local optimizer whose state <see cref="OptimizerState"/> is ("" when the workload keeps none).</summary>
    string OptimizerName => "";

    /// <summary>
    /// The local optimizer's state after the latest <see cref="Perturb"/> (empty for plain SGD): what a checkpoint
    /// saves beside the model so a restarted node resumes it. Read-only view, changed by the next step.
    /// </summary>
    ReadOnlySpan<double> OptimizerState => default;

    /// <summary>
    /// Resumes the optimizer state a checkpoint saved; null when restored (or nothing to restore), else why
    /// it was not (another optimizer, another length) — the node then starts that state afresh.
    /// </summary>
    string? RestoreOptimizerState(string optimizer, ReadOnlySpan<double> state) =>
        state.IsEmpty ? null : $"this node keeps no optimizer state, the checkpoint holds {optimizer}'s";
}
