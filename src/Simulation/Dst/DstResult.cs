using Decentral.Simulation.Dst.Invariants;

namespace Decentral.Simulation.Dst;

/// <summary>What one seed's run found.</summary>
public sealed record DstResult
{
    public required long Seed { get; init; }

    public DstMutant? Mutant { get; init; }

    public required DstScenario Scenario { get; init; }

    /// <summary>The first invariant that failed, or null.</summary>
    public Violation? Violation { get; init; }

    /// <summary>The trace's last lines when the violation was found (empty when none was).</summary>
    public IReadOnlyList<string> Tail { get; init; } = [];

    /// <summary>The whole trace, when it was asked for.</summary>
    public string? Trace { get; init; }

    /// <summary>The simulator's hash over every event, combined with the protocol-level trace hash.</summary>
    public required ulong TraceHash { get; init; }

    public required long Events { get; init; }

    public required TimeSpan VirtualTime { get; init; }

    public required TimeSpan WallTime { get; init; }

    public required long StagesCompleted { get; init; }

    public required long ContractionPairs { get; init; }

    public required int ContractionRounds { get; init; }

    public required int Resumes { get; init; }

    public required int PeakBufferedStages { get; init; }

    public required int PeakRegisterInstances { get; init; }

    public required double FinalDiameter { get; init; }

    public bool Passed => Violation is null;

    /// <summary>The command that replays this seed with its full trace.</summary>
    public string Replay => ReplayCommand(Seed, Mutant);

    public static string ReplayCommand(long seed, DstMutant? mutant) =>
        $"decentral dst --seed {seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(mutant is null ? string.Empty : " --mutant " + mutant.Name)} --trace";
}
