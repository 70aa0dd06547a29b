namespace Decentral.Actors;

/// <summary>
/// How to create an actor: a factory plus mailbox and supervision settings. The factory runs again on
/// every restart, so state that must survive a crash is passed in (e.g. a checkpoint store) rather
/// than created inside the actor.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, MailboxSettings? mailbox, SupervisorStrategy? strategy)
    {
        ActorType = actorType;
        _factory = factory;
        Mailbox = mailbox;
        SupervisorStrategy = strategy;
    }

    public Type ActorType { get; }

    /// <summary>Null: the system's default mailbox settings.</summary>
    public MailboxSettings? Mailbox { get; }

    /// <summary>Overrides the actor's own <see cref="ActorBase.SupervisorStrategy"/> for its children when set.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null, null);
    }

    public static Props Create<TActor>()
        where TActor : ActorBase, new() => new(typeof(TActor), static () => new TActor(), null, null);

    public Props WithMailbox(MailboxSettings mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        return new Props(ActorType, _factory, mailbox, SupervisorStrategy);
    }

    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, _factory, Mailbox, strategy);
    }

    internal ActorBase NewActor() => _factory();

    public override string ToString() => $"Props({ActorType.Name})";
}
