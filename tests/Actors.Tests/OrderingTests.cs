using Decentral.Actors;

namespace Decentral.Actors.Tests;

/// <summary>Per sender–receiver pair, messages arrive in the order they were sent, on the real thread pool.</summary>
public sealed class OrderingTests
{
    private const int Senders = 8;
    private const int PerSender = 20_000;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>Records, per sender, whether every number arrived exactly one after the previous.</summary>
    private sealed class OrderChecker(int senders, int total, TaskCompletionSource<int[]> done) : ReceiveActor
    {
        private readonly int[] _next = new int[senders];
        private readonly int[] _violations = new int[senders];
        private int _received;

        protected internal override void PreStart() => Receive<Seq>(s =>
        {
            if (s.Number != _next[s.Sender])
            {
                _violations[s.Sender]++;
            }

            _next[s.Sender] = s.Number + 1;
            if (++_received == total)
            {
                done.TrySetResult(_violations);
            }
        });
    }

    private sealed class Sender(int id, IActorRef target, int count) : ReceiveActor
    {
        protected internal override void PreStart() => Receive<string>(_ =>
        {
            for (var i = 0; i < count; i++)
            {
                target.Tell(new Seq(id, i), Self);
            }
        });
    }

    [Fact]
    public async Task Messages_from_concurrent_external_threads_keep_per_sender_order()
    {
        var system = ActorSystem.Create("order", new ActorSystemSettings { Mailbox = new MailboxSettings(Senders * PerSender) });
        var done = new TaskCompletionSource<int[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var checker = system.ActorOf(Props.Create(() => new OrderChecker(Senders, Senders * PerSender, done)));
        using var start = new Barrier(Senders);
        var threads = Enumerable.Range(0, Senders).Select(id => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(Generous);
            for (var i = 0; i < PerSender; i++)
            {
                checker.Tell(new Seq(id, i), null);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(threads).WaitAsync(Generous);
        var violations = await done.Task.WaitAsync(Generous);

        Assert.All(violations, v => Assert.Equal(0, v));
        Assert.Equal(0, system.DeadLetterCount);
        await system.Terminate().WaitAsync(Generous);
    }

    [Fact]
    public async Task Messages_from_concurrent_sender_actors_keep_per_pair_order()
    {
        var system = ActorSystem.Create("order2", new ActorSystemSettings { Mailbox = new MailboxSettings(Senders * PerSender) });
        var done = new TaskCompletionSource<int[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var checker = system.ActorOf(Props.Create(() => new OrderChecker(Senders, Senders * PerSender, done)));
        var senders = Enumerable.Range(0, Senders)
            .Select(id => system.ActorOf(Props.Create(() => new Sender(id, checker, PerSender))))
            .ToArray();
        foreach (var s in senders)
        {
            s.Tell("go", null);
        }

        var violations = await done.Task.WaitAsync(Generous);

        Assert.All(violations, v => Assert.Equal(0, v));
        await system.Terminate().WaitAsync(Generous);
    }
}
