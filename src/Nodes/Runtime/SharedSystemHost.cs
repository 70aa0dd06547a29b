using Akka.Actor;
using Decentral.Nodes.Network;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// Real time inside an actor system that belongs to someone else — the application's, from
/// Akka.Hosting: every cluster's node actors live in it (named <c>CLUSTER-nK</c>), share its
/// dispatchers, logging, cluster and CoordinatedShutdown, and ending the runtime stops the runtime's
/// actors, never the system.
/// </summary>
public sealed class SharedSystemHost : IActorHost
{
    private readonly ActorSystem system;
    private readonly long origin = TimeProvider.System.GetTimestamp();

    public SharedSystemHost(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        this.system = system;
    }

    public bool IsVirtual => false;

    public bool SharesSystem => true;

    public TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(origin);

    public INetworkClock Clock => SystemNetworkClock.Instance;

    public ActorSystem CreateSystem(string name) => system;

    public void Schedule(TimeSpan delay, Action action) => SystemNetworkClock.Instance.Schedule(delay, action);

    /// <summary>Lets the checkpoint writer finish what it holds; the system itself stays up (it is not ours).</summary>
    public void Terminate(IReadOnlyList<ActorSystem> systems, IActorRef? drainFirst)
    {
        if (drainFirst is null)
        {
            return;
        }

        try
        {
            drainFirst.GracefulStop(RealTimeHost.TerminateTimeout).Wait(RealTimeHost.TerminateTimeout);
        }
        catch (AggregateException)
        {
            // Timed out or already gone (the system is shutting down): nothing left to drain.
        }
    }
}
