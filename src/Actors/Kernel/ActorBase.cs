using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>
/// The base of every actor. Instances are made by the kernel from <see cref="Props"/>, one message at
/// a time runs inside them, and they never share state with other threads.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.Current ?? throw new InvalidOperationException(
            "Actors are created by the kernel: use ActorOf(Props.Create(() => new MyActor(...))), not 'new'.");
    }

    protected IActorContext Context => _cell;

    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the message being handled; dead letters when there was none.</summary>
    protected IActorRef Sender => _cell.Sender;

    protected ILogger Log => _cell.Log;

    /// <summary>Timers driven by the system's <see cref="TimeProvider"/> (virtual under the simulation).</summary>
    public ITimerScheduler Timers => _cell.Timers;

    /// <summary>Messages set aside for later (<see cref="IStash.UnstashAll"/> puts them back in front).</summary>
    protected IStash Stash => _cell.Stash;

    internal ActorCell Cell => _cell;

    /// <summary>Handles one message; false means unhandled.</summary>
    protected internal abstract bool Receive(object message);

    /// <summary>Called for messages no handler accepted: logged and published as <see cref="UnhandledMessage"/>.</summary>
    protected virtual void Unhandled(object message) => _cell.PublishUnhandled(message);

    internal void InvokeUnhandled(object message) => Unhandled(message);

    protected internal virtual void PreStart()
    {
    }

    protected internal virtual void PostStop()
    {
    }

    /// <summary>Before the old instance is discarded on restart. By default stops all children, then PostStop.</summary>
    protected internal virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in _cell.GetChildren())
        {
            _cell.Stop(child);
        }

        PostStop();
    }

    /// <summary>On the fresh instance after a restart. By default calls PreStart.</summary>
    protected internal virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children; Props may override it.</summary>
    protected internal virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;
}
