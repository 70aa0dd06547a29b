using Akka.Actor;
using Decentral.Nodes.Network;
using Decentral.Nodes.Runtime;

namespace Decentral.Simulation;

/// <summary>
/// An <see cref="IActorHost"/> inside a <see cref="Simulator"/>: the runtime's actor systems, its
/// network delays and its fault callbacks all run in the simulator's virtual time, on its one thread.
/// </summary>
public sealed class SimulatedHost : IActorHost, INetworkClock
{
    public SimulatedHost(Simulator simulator)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        Simulator = simulator;
    }

    public Simulator Simulator { get; }

    public bool IsVirtual => true;

    public TimeSpan Elapsed => Simulator.Now;

    public INetworkClock Clock => this;

    TimeSpan INetworkClock.Now => Simulator.Now;

    public ActorSystem CreateSystem(string name) => Simulator.CreateSystem(name);

    public void Schedule(TimeSpan delay, Action action) => Simulator.Schedule(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, action);

    public void Terminate(IReadOnlyList<ActorSystem> systems, IActorRef? drainFirst)
    {
        ArgumentNullException.ThrowIfNull(systems);
        if (drainFirst is IInternalActorRef writer)
        {
            writer.Tell(PoisonPill.Instance, ActorRefs.NoSender);
#pragma warning disable CS0618 // Watch + Terminated needs an actor to receive it; here the loop itself waits, on its own thread.
            Simulator.RunUntil(() => writer.IsTerminated, TimeSpan.FromMinutes(1));
#pragma warning restore CS0618
        }

        Simulator.Terminate(systems);
    }
}
