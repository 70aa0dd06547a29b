namespace Decentral.Actors;

/// <summary>A handle to an actor, local or remote. Tell never blocks and never throws for delivery problems.</summary>
public interface IActorRef
{
    ActorPath Path { get; }

    /// <summary>Sends <paramref name="message"/>; <paramref name="sender"/> null means no sender (replies go to dead letters).</summary>
    void Tell(object message, IActorRef? sender);
}

public static class ActorRefs
{
    /// <summary>Akka's NoSender: replies to it go to dead letters.</summary>
    public static readonly IActorRef? NoSender;
}

public static class ActorRefExtensions
{
    /// <summary>Tell with the implicit sender: the current actor when called from inside one, else no sender.</summary>
    public static void Tell(this IActorRef recipient, object message)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        recipient.Tell(message, ActorCell.Current?.Self);
    }

    /// <summary>Passes the message on keeping the original sender (only meaningful inside an actor).</summary>
    public static void Forward(this IActorRef recipient, object message)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var current = ActorCell.Current;
        recipient.Tell(message, current?.CurrentSender);
    }
}
