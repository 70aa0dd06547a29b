namespace Decentral.Actors;

/// <summary>Refs compare by path: every incarnation at one place is the same recipient.</summary>
public abstract class ActorRefBase : IActorRef, IEquatable<IActorRef>
{
    public abstract ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender);

    public bool Equals(IActorRef? other) => other is not null && Path == other.Path;

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => Path.GetHashCode();

    public override string ToString() => $"Actor[{Path}]";
}

/// <summary>Implemented by wrappers (a TestProbe) so the kernel can reach the actor ref inside.</summary>
internal interface IWrappedActorRef
{
    IActorRef Inner { get; }
}

internal static class ActorRefUnwrap
{
    public static IActorRef Unwrap(this IActorRef actor) => actor is IWrappedActorRef wrapped ? wrapped.Inner : actor;
}

/// <summary>
/// A ref to an actor of an in-process system. A fault-injected <c>Restart</c> rebinds it to the new
/// incarnation, so holders of the ref reach the restarted actor like holders of its path do.
/// </summary>
internal sealed class LocalActorRef : ActorRefBase
{
    private volatile ActorCell _cell;

    public LocalActorRef(ActorCell cell) => _cell = cell;

    public ActorCell Cell => _cell;

    public ActorSystem System => _cell.System;

    public override ActorPath Path => _cell.Path;

    internal void Rebind(ActorCell cell) => _cell = cell;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        var cell = _cell;
        var current = ActorCell.Current;
        if (current is not null && !ReferenceEquals(current.System, cell.System))
        {
            // An actor of another system holds this ref (it came in a message): the send crosses
            // "processes", so it goes through that system's transport and the fault layer.
            current.System.SendRemote(cell.Path, message, sender);
            return;
        }

        cell.Post(message, sender);
    }
}

/// <summary>A ref to an actor in another system, reached through the transport by path.</summary>
internal sealed class RemoteActorRef(ActorSystem owner, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public ActorSystem Owner => owner;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);

        // The sending process is the actor's own system when one is running, else the resolving system.
        var from = ActorCell.Current?.System ?? owner;
        from.SendRemote(Path, message, sender);
    }
}

/// <summary>Where undeliverable messages go: counted, logged at most once per interval, published.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system) : ActorRefBase
{
    public override ActorPath Path { get; } = new(system.Address, ["deadLetters"]);

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter letter)
        {
            system.PublishDeadLetter(letter.Message, letter.Sender, letter.Recipient, letter.Reason);
        }
        else
        {
            system.PublishDeadLetter(message, sender, Path, "sent to dead letters");
        }
    }
}

/// <summary>A local path with no actor behind it (Akka's EmptyLocalActorRef): messages become dead letters.</summary>
internal sealed class EmptyActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        system.PublishDeadLetter(message, sender, Path, "no actor at this path");
    }
}
