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
}
