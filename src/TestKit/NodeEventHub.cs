using Akka.Actor;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Protocol = Decentral.Nodes.Protocol;

namespace Decentral.TestKit;

/// <summary>
/// Turns what a runtime's nodes report into <see cref="NodeEvent"/>s, records them in the cluster's
/// <see cref="EventRecorder"/> and tells them to the subscribers that asked for their type. Called on the node's turn (under the simulator: on the simulation's
/// thread; a TestKit probe's actor runs on the calling thread, so the event is in the probe's queue
/// when the node's turn ends). Thread-safe; subscribing is copy-on-write.
/// </summary>
internal sealed class NodeEventHub(ClusterRuntime runtime, EventRecorder recorder) : IRunObserver
{
    private readonly object gate = new();
    private volatile Subscription[] subscriptions = [];

    public void Subscribe(IActorRef subscriber, IReadOnlyCollection<Type> types)
    {
        lock (gate)
        {
            subscriptions = [.. subscriptions.Where(s => !s.Subscriber.Equals(subscriber)), new Subscription(subscriber, types)];
        }
    }

    public void Unsubscribe(IActorRef subscriber)
    {
        lock (gate)
        {
            subscriptions = [.. subscriptions.Where(s => !s.Subscriber.Equals(subscriber))];
        }
    }

    public void OnEvent(ProtocolEvent e)
    {
        var name = runtime.Spec.NodeName(e.Node);
        switch (e)
        {
            case Protocol.NodeStarted s:
                if (s.FromCheckpoint)
                {
                    // The protocol resumes at the iteration after the checkpointed one, as the incarnation after the writer's.
                    Publish(new CheckpointLoaded(name, e.Node, s.Incarnation - 1, s.Stage.Iteration - 1));
                }
                Publish(new NodeStarted(name, e.Node, s.Incarnation, s.Stage.Iteration, s.FromCheckpoint));
                break;
            case StageCompleted c:
                if (c.Skipped)
                {
                    Publish(new NodeSkipped(name, e.Node, c.From.Iteration, c.From.Round, c.Stage.Iteration, c.Stage.Round));
                }
                Publish(new RoundCompleted(name, e.Node, c.Stage.Iteration, c.Stage.Round, c.Skipped));
                break;
            case Protocol.IterationCompleted i:
                Publish(new IterationCompleted(name, e.Node, i.Iteration, i.Skipped));
                break;
            case Protocol.NodeFinished:
                // The node publishes its status before its events, so the snapshot is this incarnation's.
                Publish(new NodeFinished(name, e.Node, runtime.Nodes[e.Node].Snapshot.Incarnation, runtime.Spec.Protocol.Iterations));
                break;
        }
    }

    public void OnSent(int node, ProtocolMessage message, int copies)
    {
    }

    public void OnCheckpointSaved(int node, SaveCheckpoint checkpoint)
    {
        // A checkpoint records the iteration to resume at: the one after the iteration it holds.
        Publish(new CheckpointSaved(runtime.Spec.NodeName(node), node, checkpoint.Incarnation, checkpoint.Iteration - 1));
    }

    public void OnCheckpointProblem(int node, string problem)
    {
    }

    public void OnCrashed(int node)
    {
        var s = runtime.Nodes[node].Snapshot;
        Publish(new NodeCrashed(s.Name, node, s.Incarnation, s.Iteration));
    }

    private void Publish(NodeEvent e)
    {
        recorder.OnNodeEvent(e);
        foreach (var s in subscriptions)
        {
            if (s.Wants(e))
            {
                s.Subscriber.Tell(e, ActorRefs.NoSender);
            }
        }
    }

    private sealed record Subscription(IActorRef Subscriber, IReadOnlyCollection<Type> Types)
    {
        public bool Wants(NodeEvent e) => Types.Count == 0 || Types.Any(t => t.IsInstanceOfType(e));
    }
}
