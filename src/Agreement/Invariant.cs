using System.Diagnostics.CodeAnalysis;

namespace Decentral.Agreement;

/// <summary>
/// A property the code relies on did not hold: a bug, never bad input (bad input is rejected and counted
/// before it reaches the state machines). <see cref="Name"/> identifies the check, e.g. <c>mdaa.quorum</c>.
/// </summary>
public sealed class InvariantViolationException : InvalidOperationException
{
    public InvariantViolationException(string name, string detail)
        : base($"invariant {name} violated: {detail}")
    {
        Name = name;
        Detail = detail;
    }

    public InvariantViolationException()
        : this("unknown", "no detail")
    {
    }

    public InvariantViolationException(string message)
        : this("unknown", message)
    {
    }

    public InvariantViolationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = "unknown";
        Detail = message;
    }

    /// <summary>The invariant's name (see <see cref="Invariant"/> for the list).</summary>
    public string Name { get; }

    public string Detail { get; }
}

/// <summary>
/// Always-on checks at stage boundaries (not <c>Debug.Assert</c>: CI tests the Release build, where an
/// assert is compiled away). Each check is O(k + d) at most per completed round, against the O(k²·d)
/// aggregation it guards. The names, by owner:
/// <list type="bullet">
/// <item><c>mdaa.*</c> (<see cref="Mdaa"/>, every completed round): <c>completes-forward</c>, <c>quorum</c>,
/// <c>one-value-per-cluster</c>, <c>convex-weights</c>, <c>finite-value</c>, <c>bounded-buffers</c>.</item>
/// <item><c>cluster-aa.*</c> (<see cref="ClusterAgreement"/>): <c>step-bound</c>, <c>slots-forward</c>,
/// <c>pending-write</c>.</item>
/// <item><c>protocol.*</c> (the decentralized SGD protocol, at every stage boundary): <c>stage-forward</c>,
/// <c>stage-in-step</c> (the stage worked on is the round its round machine waits for),
/// <c>validated-message</c>; the node actor reports any other exception of the protocol as
/// <c>protocol.exception</c>.</item>
/// <item><c>simulation.*</c> (the MDAA simulation): <c>round-forward</c>, <c>event-budget</c>.</item>
/// <item><c>pairwise.accumulators</c>, <c>aggregation.values-remain</c>: kernel preconditions.</item>
/// </list>
/// </summary>
public static class Invariant
{
    /// <summary>Throws <see cref="InvariantViolationException"/> named <paramref name="name"/> unless <paramref name="condition"/>.</summary>
    public static void Check([DoesNotReturnIf(false)] bool condition, string name, string detail)
    {
        if (!condition)
        {
            throw new InvariantViolationException(name, detail);
        }
    }

    /// <summary>For checks whose message is built only on failure: <c>if (!ok) throw Invariant.Violated(…)</c>.</summary>
    public static InvariantViolationException Violated(string name, string detail) => new(name, detail);
}
