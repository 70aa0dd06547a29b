namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// Bounded memory: no node buffers more than <see cref="MaxBufferedStages"/> stages, and no cluster
/// holds more than <see cref="MaxRegisterInstances"/> register arrays (agreement instances). Both
/// bounds are independent of the run length, so a leak shows up as a violation, not as slow growth.
/// </summary>
public sealed class BoundedBuffersInvariant
{
    public BoundedBuffersInvariant(int maxBufferedStages, int maxRegisterInstances)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedStages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRegisterInstances, 1);
        MaxBufferedStages = maxBufferedStages;
        MaxRegisterInstances = maxRegisterInstances;
    }

    public string Name => InvariantNames.BoundedBuffers;

    public int MaxBufferedStages { get; }

    public int MaxRegisterInstances { get; }

    /// <summary>Highest buffered-stage count seen (for reports).</summary>
    public int PeakBufferedStages { get; private set; }

    /// <summary>Highest register-instance count seen (for reports).</summary>
    public int PeakRegisterInstances { get; private set; }

    public string? CheckNode(int node, int bufferedStages)
    {
        PeakBufferedStages = Math.Max(PeakBufferedStages, bufferedStages);
        return bufferedStages <= MaxBufferedStages
            ? null
            : $"node {node} buffers {bufferedStages} stages, more than the bound {MaxBufferedStages}";
    }

    public string? CheckCluster(int cluster, int registerInstances)
    {
        PeakRegisterInstances = Math.Max(PeakRegisterInstances, registerInstances);
        return registerInstances <= MaxRegisterInstances
            ? null
            : $"cluster {cluster + 1} holds {registerInstances} register arrays, more than the bound {MaxRegisterInstances}";
    }
}
