using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Decentral.Simulation;

/// <summary>
/// The default mailbox under the simulation: an unbounded queue that tells the simulator which user
/// message its actor is about to handle, so a trace shows deliveries (recipient, sender, message).
/// </summary>
public sealed class SimulationMailboxType : MailboxType, IProducesMessageQueue<SimulationMessageQueue>
{
    public SimulationMailboxType(Settings settings, Config config)
        : base(settings, config)
    {
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system)
    {
        var simulator = (system?.Scheduler as SimulationScheduler)?.Simulator;
        return new SimulationMessageQueue(owner, simulator);
    }
}

/// <summary>An unbounded queue that reports each dequeued envelope to the simulator.</summary>
public sealed class SimulationMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly UnboundedMessageQueue inner = new();
    private readonly Simulator? simulator;

    internal SimulationMessageQueue(IActorRef? owner, Simulator? simulator)
    {
        Owner = owner;
        this.simulator = simulator;
    }

    /// <summary>The actor whose mailbox this is (null for a system-internal queue).</summary>
    public IActorRef? Owner { get; }

    public bool HasMessages => inner.HasMessages;

    public int Count => inner.Count;

    public void Enqueue(IActorRef receiver, Envelope envelope) => inner.Enqueue(receiver, envelope);

    public bool TryDequeue(out Envelope envelope)
    {
        if (!inner.TryDequeue(out envelope))
        {
            return false;
        }

        simulator?.OnDequeued(this, envelope);
        return true;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters) => inner.CleanUp(owner, deadletters);
}
