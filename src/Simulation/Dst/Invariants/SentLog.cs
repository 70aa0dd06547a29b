using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// Every distinct vector each process sent for each stage: the evidence validity and contraction are
/// checked against. A process normally sends one vector per stage (resends and help messages repeat
/// the same array), but it may send a second, different one after recovering from an older checkpoint
/// or after its cluster's registers were lost in a cluster crash; receivers then hold one of the two,
/// so every variant is kept.
/// </summary>
public sealed class SentLog
{
    private readonly Dictionary<(Stage Stage, int Sender), List<double[]>> sent = [];

    public void Record(ProtocolMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = (message.Stage, message.Sender);
        if (!sent.TryGetValue(key, out var variants))
        {
            sent.Add(key, [message.Vector]);
            return;
        }
        foreach (var v in variants)
        {
            if (ReferenceEquals(v, message.Vector) || v.AsSpan().SequenceEqual(message.Vector))
            {
                return;
            }
        }
        variants.Add(message.Vector);
    }

    /// <summary>The distinct vectors <paramref name="sender"/> sent for <paramref name="stage"/> (empty when none).</summary>
    public IReadOnlyList<double[]> Variants(Stage stage, int sender) =>
        sent.TryGetValue((stage, sender), out var v) ? v : [];

    /// <summary>The one vector sent for the stage, or null when none or several were.</summary>
    public double[]? Unique(Stage stage, int sender) =>
        sent.TryGetValue((stage, sender), out var v) && v.Count == 1 ? v[0] : null;
}
