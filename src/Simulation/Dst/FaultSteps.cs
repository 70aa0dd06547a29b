using Akka.Actor;

namespace Decentral.Simulation.Dst;

/// <summary>One action of the fault driver (begin or end an episode), as a message to <see cref="FaultStepActor"/>.</summary>
internal sealed record FaultStep(string What, Action Run)
{
    public override string ToString() => What;
}

/// <summary>
/// Runs the fault driver's steps as turns of an actor of their own. A step posted at some instant
/// therefore runs at a seeded point among the mailboxes that have work at that instant — a crash may
/// find the victim with messages queued, or its newest checkpoint still with the writer — instead of
/// only once the instant has gone quiet, as a simulator callback would. Never a node's own turn, so
/// no node is crashed in the middle of its handler. A step that throws is reported, not supervised
/// away: <paramref name="onError"/> names it as a harness problem of the seed.
/// </summary>
internal sealed class FaultStepActor : ReceiveActor
{
    public const string Name = "dst-faults";

    public FaultStepActor(Action<FaultStep, Exception> onError)
    {
        Receive<FaultStep>(step =>
        {
            try
            {
                step.Run();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                onError(step, ex);
            }
        });
    }

    public static Props Props(Action<FaultStep, Exception> onError) =>
        Akka.Actor.Props.Create(() => new FaultStepActor(onError));
}
