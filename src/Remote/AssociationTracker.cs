using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Remote;

namespace Decentral.Remote;

/// <summary>
/// What Akka.Remote says about this process's associations (its connections to other actor systems),
/// from the remoting lifecycle events: per peer address (host:port) whether it is associated, who
/// opened the association, and the last error. Associations open on demand, when a message is sent.
/// </summary>
internal sealed class AssociationTracker
{
    private readonly ConcurrentDictionary<(string Host, int Port), Peer> peers = new();

    /// <summary>Subscribes a listener to <paramref name="system"/>'s remoting events.</summary>
    public AssociationTracker(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var listener = system.ActorOf(Props.Create(() => new Listener(this)), "association-tracker");
        system.EventStream.Subscribe(listener, typeof(RemotingLifecycleEvent));
    }

    /// <summary>The state of the association with the system at <paramref name="address"/>: idle when there never was one.</summary>
    public Peer Of(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return peers.TryGetValue(Key(address), out var peer) ? peer : Peer.Idle;
    }

    public long Errors => peers.Values.Sum(p => p.Errors);

    private static (string, int) Key(Address address) => ((address.Host ?? "").ToLowerInvariant(), address.Port ?? 0);

    private void On(RemotingLifecycleEvent e)
    {
        switch (e)
        {
            case AssociatedEvent a:
                peers.AddOrUpdate(Key(a.RemoteAddress), _ => Peer.Idle with { State = "connected", DialedBy = a.IsInbound ? "peer" : "here" },
                    (_, p) => p with { State = "connected", DialedBy = a.IsInbound ? "peer" : "here" });
                break;
            case DisassociatedEvent d:
                peers.AddOrUpdate(Key(d.RemoteAddress), _ => Peer.Idle with { State = "disconnected" }, (_, p) => p with { State = "disconnected", DialedBy = null });
                break;
            case AssociationErrorEvent err:
                var message = err.Cause?.InnerException?.Message ?? err.Cause?.Message ?? err.ToString();
                peers.AddOrUpdate(Key(err.RemoteAddress), _ => Peer.Idle with { State = "failed", LastError = message, Errors = 1 },
                    (_, p) => p with { State = p.State == "connected" ? p.State : "failed", LastError = message, Errors = p.Errors + 1 });
                break;
        }
    }

    /// <summary>One peer's association: connected, disconnected, failed (gated, retried on the next send) or idle.</summary>
    internal sealed record Peer(string State, string? DialedBy, string? LastError, long Errors)
    {
        public static readonly Peer Idle = new("idle", null, null, 0);
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(AssociationTracker tracker) => Receive<RemotingLifecycleEvent>(tracker.On);
    }
}
