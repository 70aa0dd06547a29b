using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// Sees everything nodes report. On the thread-pool dispatcher calls come from several threads at
/// once: implementations must be thread-safe and quick (they run on the node's turn).
/// </summary>
public interface IRunObserver
{
    void OnEvent(ProtocolEvent e);

    void OnSent(int node, ProtocolMessage message, int copies);

    void OnCheckpointSaved(int node, SaveCheckpoint checkpoint);

    void OnCheckpointProblem(int node, string problem);

    /// <summary>
    /// Node <paramref name="node"/> was crashed by a fault (its actor stopped without cleanup). Called on
    /// the thread that applied the fault, after the node's status says crashed; a handler the actor was
    /// already running may still report after it (real time only).
    /// </summary>
    void OnCrashed(int node)
    {
    }
}
