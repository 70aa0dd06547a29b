namespace Decentral.Actors;

/// <summary>Sent to a watcher when an actor it watches has stopped or crashed.</summary>
public sealed record Terminated(IActorRef ActorRef);

/// <summary>A message that reached no live recipient. Published on the event stream, never thrown.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, ActorPath Recipient, string Reason);

/// <summary>A message an actor had no handler for. Logged and published, never a crash.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>Stops the receiving actor once the messages before it have been handled.</summary>
public sealed class PoisonPill
{
    public static readonly PoisonPill Instance = new();

    private PoisonPill()
    {
    }

    public override string ToString() => "PoisonPill";
}

/// <summary>Makes the receiving actor fail with <see cref="ActorKilledException"/> (stopped by the default decider).</summary>
public sealed class Kill
{
    public static readonly Kill Instance = new();

    private Kill()
    {
    }

    public override string ToString() => "Kill";
}

/// <summary>Thrown inside an actor that received <see cref="Kill"/>.</summary>
public sealed class ActorKilledException : Exception
{
    public ActorKilledException()
        : base("Kill")
    {
    }

    public ActorKilledException(string message)
        : base(message)
    {
    }

    public ActorKilledException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>A constructor or PreStart failed; the default decider stops such an actor.</summary>
public sealed class ActorInitializationException : Exception
{
    public ActorInitializationException()
    {
    }

    public ActorInitializationException(string message)
        : base(message)
    {
    }

    public ActorInitializationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
