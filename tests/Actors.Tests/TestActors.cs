using Decentral.Actors;

namespace Decentral.Actors.Tests;

/// <summary>Small actors the kernel tests share.</summary>
internal sealed record Seq(int Sender, int Number);

internal sealed record Boom(string Reason);

internal sealed record Get;

/// <summary>Replies every message it receives back to the sender.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>Counts messages in volatile state; throws on Boom; reports its count on Get.</summary>
internal sealed class CounterActor : ReceiveActor
{
    private int _count;

    public CounterActor(List<string>? lifecycle = null)
    {
        Lifecycle = lifecycle;
        Receive<Boom>(b => throw new InvalidOperationException(b.Reason));
        Receive<Get>(_ => Sender.Tell(_count, Self));
        Receive<int>(_ => _count++);
    }

    private List<string>? Lifecycle { get; }

    protected internal override void PreStart() => Lifecycle?.Add("PreStart");

    protected internal override void PostStop() => Lifecycle?.Add("PostStop");

    protected internal override void PreRestart(Exception reason, object? message)
    {
        Lifecycle?.Add("PreRestart:" + reason.Message);
        base.PreRestart(reason, message);
    }

    protected internal override void PostRestart(Exception reason)
    {
        Lifecycle?.Add("PostRestart");
        base.PostRestart(reason);
    }
}

/// <summary>Forwards everything it receives (with the original sender) to a target.</summary>
internal sealed class RelayActor : ReceiveActor
{
    public RelayActor(IActorRef target) => ReceiveAny(m => target.Tell(m, Sender));
}
