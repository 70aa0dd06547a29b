namespace Decentral.Simulation.Dst.Invariants;

/// <summary>An invariant that did not hold: which one, what was seen, and when (virtual time, simulation event).</summary>
public sealed record Violation(string Invariant, string Message, TimeSpan Time, long EventIndex)
{
    public override string ToString() =>
        $"{Invariant}: {Message} (at {Time.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} ms virtual, event {EventIndex})";
}

/// <summary>The names the invariants report under (also the values of the JSON "invariant" field).</summary>
public static class InvariantNames
{
    public const string Validity = "validity";
    public const string Quorum = "quorum";
    public const string BoundedBuffers = "bounded-buffers";
    public const string Checkpoint = "checkpoint";
    public const string Contraction = "contraction";
    public const string Liveness = "liveness";

    /// <summary>A node (re)started although the fault driver did not restart it: its actor failed and was restarted by supervision.</summary>
    public const string NodeFailure = "node-failure";

    /// <summary>Not an invariant: the run itself threw (a bug in the harness or an exception outside the actors).</summary>
    public const string Harness = "harness";

    public static IReadOnlyList<string> All { get; } = [Validity, Quorum, BoundedBuffers, Checkpoint, Contraction, Liveness, NodeFailure];
}
