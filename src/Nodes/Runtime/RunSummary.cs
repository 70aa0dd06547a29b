namespace Decentral.Nodes.Runtime;

/// <summary>Final figures of a run; <see cref="FinalState"/> is measured on the whole data set at the live nodes' average model.</summary>
public sealed record RunSummary(
    string Mode,
    int Nodes,
    int Clusters,
    int Iterations,
    ulong Seed,
    double WallSeconds,
    double VirtualSeconds,
    FinalState Final,
    IReadOnlyList<FaultRecord> Faults,
    long Skips,
    long Messages,
    long Bytes,
    bool Completed)
{
    /// <summary>Nodes stopped because their model failed (the run went on without them); empty when none was.</summary>
    public IReadOnlyList<NodeFailure> Failures { get; init; } = [];
}

/// <summary>A node stopped because its model failed at <paramref name="Iteration"/> (0: when it started).</summary>
public sealed record NodeFailure(string Node, int Iteration, string Error);

public sealed record FinalState(double Loss, double GradNormSq, double DiameterCw, double DiameterL2, int LiveNodes);

/// <summary>A fault as it was applied: when (iteration frontier and time) and whether it worked.</summary>
public sealed record FaultRecord(string Fault, int Frontier, double Seconds, string? Error);
