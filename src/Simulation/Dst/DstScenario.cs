using System.Globalization;
using Decentral.Agreement;
using Decentral.Nodes.Compute;

namespace Decentral.Simulation.Dst;

/// <summary>
/// Everything one seed of a campaign runs: the layout, quorum rule, workload, protocol knobs, timing
/// and the fault schedule. Drawn by <see cref="ScenarioGenerator"/> from the seed alone, so the seed
/// (with the mutant, if any) is the whole replay recipe.
/// </summary>
public sealed record DstScenario
{
    public required long Seed { get; init; }

    public required ClusterLayout Layout { get; init; }

    public required QuorumRule Quorum { get; init; }

    /// <summary>Features d of the synthetic logistic data.</summary>
    public required int Dimension { get; init; }

    public required int Rows { get; init; }

    public required int BatchSize { get; init; }

    /// <summary>Constant step size η.</summary>
    public required double StepSize { get; init; }

    public required int Iterations { get; init; }

    public required int Rounds { get; init; }

    public required int ClusterRounds { get; init; }

    public required int FinalRounds { get; init; }

    public required int MaxBufferedStages { get; init; }

    public required int CheckpointEvery { get; init; }

    public required int CheckpointKeep { get; init; }

    public required ComputeTimeKind ComputeTime { get; init; }

    /// <summary>Per-node compute-time scale s_i in seconds (slow nodes have larger ones); unused when ComputeTime is None.</summary>
    public required IReadOnlyList<double> WorkerScales { get; init; }

    public required TimeSpan NetworkLatency { get; init; }

    public required TimeSpan ResendInterval { get; init; }

    /// <summary>A rough duration of one fault-free iteration: the scale fault durations are drawn in.</summary>
    public required TimeSpan IterationTime { get; init; }

    public required IReadOnlyList<FaultEpisode> Episodes { get; init; }

    /// <summary>The longest a node's gradient can take (for the liveness budget).</summary>
    public TimeSpan MaxComputeTime => ComputeTime switch
    {
        ComputeTimeKind.None => TimeSpan.Zero,
        // Poisson and Normal have unbounded tails; budget for a generous multiple of the scale.
        ComputeTimeKind.Fixed => TimeSpan.FromSeconds(WorkerScales.Max()),
        _ => TimeSpan.FromSeconds((6 * WorkerScales.Max()) + 1),
    };

    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var slow = ComputeTime == ComputeTimeKind.None
            ? "no compute time"
            : string.Create(inv, $"compute {ComputeTime.ToString().ToLowerInvariant()} s_i = {string.Join(",", WorkerScales.Select(s => (s * 1000).ToString("0.##", inv)))} ms");
        return string.Create(inv,
            $"clusters {Layout} (n = {Layout.N}), quorum {Quorum}, d = {Dimension}, T = {Iterations}, R = {Rounds}, K = {ClusterRounds}, "
            + $"final rounds {FinalRounds}, η = {StepSize:0.###}, batch {BatchSize}/{Rows}, buffer {MaxBufferedStages} stages, "
            + $"checkpoint every {CheckpointEvery} keep {CheckpointKeep}, {slow}, latency {NetworkLatency.TotalMilliseconds:0.###} ms, "
            + $"resend {ResendInterval.TotalMilliseconds:0.###} ms, {Episodes.Count} fault episode(s)");
    }
}
