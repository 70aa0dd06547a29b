using System.Collections.Concurrent;
using Decentral.Actors;

namespace Decentral.TestKit;

/// <summary>
/// An actor ref that records what it receives, with Akka-style expectations. Under a simulation every
/// wait runs the simulation (virtual time, so an expectation's instant is exact); on the thread pool
/// it blocks with a timeout stretched by <see cref="TestTime.TimeFactor"/>.
/// </summary>
public sealed partial class TestProbe : IActorRef, IWrappedActorRef
{
    // Per system, so a probe's path (and with it a simulation's trace hash) does not depend on which
    // other tests ran first in the process.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ActorSystem, StrongBox> s_counters = [];
    private readonly ConcurrentQueue<(object Message, IActorRef? Sender)> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);

    public TestProbe(ActorSystem system, string? name = null, TestTime? time = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        Time = time ?? TestTime.For(system);
        var id = Interlocked.Increment(ref s_counters.GetOrCreateValue(system).Value);
        Ref = system.SystemActorOf(Props.Create(() => new ProbeActor(this)), name ?? $"testprobe-{id}");
    }

    public ActorSystem System { get; }

    public IActorRef Ref { get; }

    public ActorPath Path => Ref.Path;

    public TestTime Time { get; }

    /// <summary>The sender of the last message taken by an expectation.</summary>
    public IActorRef? LastSender { get; private set; }

    /// <summary>The last message taken by an expectation.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Messages received and not yet taken by an expectation.</summary>
    public int MessageCount => _queue.Count;

    IActorRef IWrappedActorRef.Inner => Ref;

    public void Tell(object message, IActorRef? sender) => Ref.Tell(message, sender);

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with this probe as the sender.</summary>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, Ref);
    }

    /// <summary>Answers the sender of the last message taken.</summary>
    public void Reply(object message)
    {
        var to = LastSender ?? throw new InvalidOperationException("Reply: no message has been taken yet, or it had no sender.");
        to.Tell(message, Ref);
    }

    /// <summary>Passes the last message taken on to <paramref name="target"/>, keeping its original sender.</summary>
    public void Forward(IActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var message = LastMessage ?? throw new InvalidOperationException("Forward: no message has been taken yet.");
        target.Tell(message, LastSender);
    }

    /// <summary>The probe will receive <see cref="Terminated"/> when <paramref name="subject"/> stops or crashes.</summary>
    public void Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Ref.Tell(new WatchRequest(subject, true), null);
    }

    public void Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Ref.Tell(new WatchRequest(subject, false), null);
    }

    public override string ToString() => $"TestProbe[{Path}]";

    internal void Enqueue(object message, IActorRef? sender)
    {
        _queue.Enqueue((message, sender));
        _signal.Release();
    }

    private sealed class StrongBox
    {
        public int Value;
    }

    internal sealed record WatchRequest(IActorRef Subject, bool Watch);

    private sealed class ProbeActor(TestProbe probe) : ActorBase
    {
        protected internal override bool Receive(object message)
        {
            if (message is WatchRequest request)
            {
                if (request.Watch)
                {
                    Context.Watch(request.Subject);
                }
                else
                {
                    Context.Unwatch(request.Subject);
                }

                return true;
            }

            probe.Enqueue(message, Context.Sender == Context.System.DeadLetters ? null : Context.Sender);
            return true;
        }
    }
}
