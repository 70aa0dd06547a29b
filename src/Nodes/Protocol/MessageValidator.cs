namespace Decentral.Nodes.Protocol;

/// <summary>
/// Checks a peer message before it may touch protocol state (ARCHITECTURE §3: validate at the edge).
/// A message naming this node as its sender is accepted: peers relay the quorum a laggard needs, and
/// after a restart that quorum may hold what this node's previous incarnation sent (see HelpLaggard).
/// </summary>
internal sealed class MessageValidator(ProtocolOptions options, int dimension)
{
    /// <summary>Null when the message is acceptable, else why not.</summary>
    public string? Check(ProtocolMessage m)
    {
        if (m.Sender < 0 || m.Sender >= options.Layout.N)
        {
            return $"unknown sender {m.Sender}";
        }
        var s = m.Stage;
        if (s.Iteration < 1 || s.Iteration > options.Iterations)
        {
            return $"iteration {s.Iteration} outside 1…{options.Iterations}";
        }
        if (s.Round < 0 || s.Round > options.RoundsFor(s.Iteration))
        {
            return $"round {s.Round} outside 0…{options.RoundsFor(s.Iteration)}";
        }
        if (m.Vector is null || m.Vector.Length != dimension)
        {
            return $"vector length {m.Vector?.Length ?? 0}, expected {dimension}";
        }
        foreach (var v in m.Vector)
        {
            if (!double.IsFinite(v))
            {
                return "vector holds NaN or Infinity";
            }
        }
        return null;
    }
}
