using System.Globalization;
using Decentral.Agreement;
using Decentral.Nodes.Runtime;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// Liveness: once the last fault has healed (every crashed node restarted, every link repaired) with a
/// quorum up, every live node finishes within a bounded amount of virtual time, and the live nodes'
/// final models agree within ε (Euclidean diameter Δ₂ ≤ ε·(1 + ‖x̄‖∞)) — where the layout forces
/// agreement at all (see <c>agreementExpected</c>).
/// </summary>
public sealed class LivenessInvariant
{
    public LivenessInvariant(double epsilon)
    {
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        }
        Epsilon = epsilon;
    }

    public string Name => InvariantNames.Liveness;

    public double Epsilon { get; }

    /// <summary>Δ₂ of the live final models at the last check.</summary>
    public double FinalDiameter { get; private set; } = double.NaN;

    /// <param name="nodes">Every node's state at the end of the run.</param>
    /// <param name="finishedInTime">Whether every live node finished before the budget ran out.</param>
    /// <param name="budget">What the budget was, for the message (e.g. "500 ms of virtual time after the last heal").</param>
    /// <param name="agreementExpected">False when some cluster is a quorum by itself, so nothing makes its members agree.</param>
    public string? Check(IReadOnlyList<NodeSnapshot> nodes, bool finishedInTime, string budget, bool agreementExpected = true)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var live = nodes.Where(n => !n.Crashed).ToList();
        if (live.Count == 0)
        {
            return "no node is live at the end of the run";
        }
        var stuck = live.Where(n => !n.Finished).ToList();
        if (!finishedInTime || stuck.Count > 0)
        {
            return $"{stuck.Count} live node(s) did not finish within {budget}: "
                + string.Join(", ", stuck.Take(6).Select(n => $"{n.Name} at {n.Stage} ({n.BufferedStages} stages buffered)"));
        }
        var models = live.Select(n => n.Model).ToList();
        FinalDiameter = VectorMath.DiameterL2(models);
        if (!agreementExpected)
        {
            return null;
        }
        var mean = new double[models[0].Length];
        VectorMath.Mean(models, mean);
        var scale = 1 + Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<double>(mean));
        return FinalDiameter <= Epsilon * scale
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"the {live.Count} live nodes finished without ε-agreement: Δ₂ = {FinalDiameter:g4} > ε·(1 + ‖x̄‖∞) = {Epsilon * scale:g4}");
    }
}
