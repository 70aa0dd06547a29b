using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>What an actor sees of its surroundings while it handles a message (Akka's Context).</summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>The sender of the message being handled; dead letters when there was none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    ActorSystem System { get; }

    ILogger Log { get; }

    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child (or the actor itself) after the message in hand.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when <paramref name="subject"/> stops or crashes.</summary>
    IActorRef Watch(IActorRef subject);

    IActorRef Unwatch(IActorRef subject);

    IReadOnlyList<IActorRef> GetChildren();

    IActorRef? Child(string name);

    /// <summary>Replaces the message handler (see <see cref="ReceiveActor.Become(Action)"/> for the typed form).</summary>
    void Become(Func<object, bool> receive);
}
