using Akka.Actor;
using Akka.Event;
using Decentral.Nodes.Checkpoints;
using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Runtime;

/// <summary>A node asks for <paramref name="Checkpoint"/> to be made durable.</summary>
internal sealed record WriteCheckpoint(int Node, Checkpoint Checkpoint, SaveCheckpoint Effect);

/// <summary>
/// The one writer of a runtime's checkpoint store: nodes hand it their checkpoints and go on, so
/// disk I/O never blocks a node's message loop. It writes in arrival order (per node that is the
/// node's order) and reports a checkpoint to the observers only once the store has it. In real
/// time it runs on Akka's blocking-I/O dispatcher; under the simulation on the simulated one.
/// </summary>
internal sealed class CheckpointWriter : ReceiveActor
{
    public const string Dispatcher = "akka.actor.default-blocking-io-dispatcher";

    private readonly ILoggingAdapter log = Context.GetLogger();

    public CheckpointWriter(ICheckpointStore store, IRunObserver observer)
    {
        Receive<WriteCheckpoint>(w =>
        {
            try
            {
                store.Save(w.Checkpoint);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or ObjectDisposedException or System.Data.Common.DbException)
            {
                // A lost checkpoint costs a longer catch-up after a crash, never correctness.
                log.Error(e, "Checkpoint of {0} at iteration {1} was not written: {2}", w.Checkpoint.Node, w.Checkpoint.Iteration, e.Message);
                return;
            }
            observer.OnCheckpointSaved(w.Node, w.Effect);
        });
    }

    public static Props Props(ICheckpointStore store, IRunObserver observer) =>
        Akka.Actor.Props.Create(() => new CheckpointWriter(store, observer)).WithDispatcher(Dispatcher);
}
