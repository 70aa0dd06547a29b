namespace Decentral.Actors;

/// <summary>Kernel messages between cells; processed before user messages, never dropped for overflow.</summary>
internal abstract class SystemMessage;

internal sealed class CreateMsg : SystemMessage
{
    public static readonly CreateMsg Instance = new();
}

internal sealed class TerminateMsg : SystemMessage
{
    public static readonly TerminateMsg Instance = new();
}

internal sealed class CrashCleanupMsg : SystemMessage
{
    public static readonly CrashCleanupMsg Instance = new();
}

internal sealed class ResumeMsg : SystemMessage
{
    public static readonly ResumeMsg Instance = new();
}

internal sealed class RecreateMsg(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class FailedMsg(ActorCell child, Exception cause, bool escalated) : SystemMessage
{
    public ActorCell Child { get; } = child;

    public Exception Cause { get; } = cause;

    /// <summary>The child failed because it escalated one of its own children's failures.</summary>
    public bool Escalated { get; } = escalated;
}

internal sealed class ChildTerminatedMsg(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

internal sealed class WatchMsg(IActorRef watcher) : SystemMessage
{
    public IActorRef Watcher { get; } = watcher;
}

internal sealed class UnwatchMsg(IActorRef watcher) : SystemMessage
{
    public IActorRef Watcher { get; } = watcher;
}

internal sealed class DeathWatchNotificationMsg(IActorRef subject) : SystemMessage
{
    public IActorRef Subject { get; } = subject;
}
