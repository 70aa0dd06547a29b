using Akka.Actor;

namespace Decentral.Nodes.Network;

/// <summary>
/// What a node holds for a peer: an actor ref that looks like the peer (its path) but sends through
/// the <see cref="FaultyNetwork"/>. The recipient is resolved when the message arrives — the peer's
/// current incarnation, or nobody while it is crashed (the message is lost, as to a dead process).
/// The delivered sender is the link back, so a reply crosses the network too.
/// </summary>
public sealed class LinkRef : MinimalActorRef
{
    private readonly FaultyNetwork network;
    private readonly string from;
    private readonly string to;
    private readonly Func<IActorRef?> target;
    private readonly Func<IActorRef, IActorRef> backLink;
    private readonly Action<object>? dropped;

    /// <param name="dropped">Told each message the fault layer dropped on this link (for per-sender counts).</param>
    public LinkRef(
        FaultyNetwork network, string from, string to, ActorPath path, Func<IActorRef?> target, IActorRefProvider provider,
        Func<IActorRef, IActorRef>? backLink = null, Action<object>? dropped = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(provider);
        this.network = network;
        this.from = from;
        this.to = to;
        this.target = target;
        this.backLink = backLink ?? (s => s);
        this.dropped = dropped;
        Path = path;
        Provider = provider;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    /// <summary>Messages that arrived while nobody lived at the destination.</summary>
    public long Undeliverable => Interlocked.Read(ref undeliverable);

    private long undeliverable;

    protected override void TellInternal(object message, IActorRef sender)
    {
        var replyTo = sender is null || sender.IsNobody() ? ActorRefs.NoSender : backLink(sender);
        var forwarded = network.Send(from, to, () =>
        {
            if (target() is { } recipient)
            {
                recipient.Tell(message, replyTo);
            }
            else
            {
                Interlocked.Increment(ref undeliverable);
            }
        });
        if (!forwarded)
        {
            dropped?.Invoke(message);
        }
    }
}
