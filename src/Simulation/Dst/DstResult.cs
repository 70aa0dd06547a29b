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

    /// <summary>Wall time of the whole seed: setup, run, checks and shutdown.</summary>
    public required TimeSpan WallTime { get; init; }

    /// <summary>Wall time spent creating the actor systems and the runtime.</summary>
    public TimeSpan SetupTime { get; init; }

    /// <summary>Wall time spent stopping the runtime and terminating its actor systems.</summary>
    public TimeSpan ShutdownTime { get; init; }

    /// <summary>What went wrong while shutting the run down, if anything (also the violation when the run had none).</summary>
    public string? ShutdownProblem { get; init; }

    public required long StagesCompleted { get; init; }

    public required long ContractionPairs { get; init; }

    public required int ContractionRounds { get; init; }

    public required int Resumes { get; init; }

    /// <summary>Checkpoints the writer reported after their node had completed a later iteration.</summary>
    public int CheckpointsReportedBehind { get; init; }

    /// <summary>Checkpoints the writer saved for a node that had crashed since asking for them.</summary>
    public int CheckpointsSavedAfterCrash { get; init; }

    public required int PeakBufferedStages { get; init; }

    public required int PeakRegisterInstances { get; init; }

    public required double FinalDiameter { get; init; }

    public bool Passed => Violation is null;

    /// <summary>The command that replays this seed with its full trace.</summary>
    public string Replay => ReplayCommand(Seed, Mutant);

    public static string ReplayCommand(long seed, DstMutant? mutant) =>
        $"decentral dst --seed {seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(mutant is null ? string.Empty : " --mutant " + mutant.Name)} --trace";
}
