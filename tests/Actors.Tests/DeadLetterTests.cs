using Decentral.Actors;
using Decentral.TestKit;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

public sealed class DeadLetterTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Telling_a_stopped_actor_counts_and_publishes_a_dead_letter_without_throwing()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        c1.EventStream.Subscribe(probe, typeof(DeadLetter));
        var echo = c1.ActorOf(Props.Create(() => new EchoActor()), "echo");
        c1.Stop(echo);
        Simulation.RunUntilIdle();

        echo.Tell("lost", null);

        var letter = probe.ExpectMsg<DeadLetter>();
        Assert.Equal("lost", letter.Message);
        Assert.Equal(echo.Path, letter.Recipient);
        Assert.Equal(1, c1.DeadLetterCount);
    }

    [Fact]
    public void Unresolvable_local_paths_and_no_sender_replies_become_dead_letters()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var echo = c1.ActorOf(Props.Create(() => new EchoActor()), "echo");

        c1.ResolveRef("dct://c1/user/nobody").Tell("x", null);
        echo.Tell("reply goes nowhere", null);
        Simulation.RunUntilIdle();

        Assert.Equal(2, c1.DeadLetterCount);
    }

    [Fact]
    public void Unhandled_messages_are_published_and_the_actor_keeps_working()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        c1.EventStream.Subscribe(probe, typeof(UnhandledMessage));
        var counter = c1.ActorOf(Props.Create(() => new CounterActor(null)), "counter");

        counter.Tell("not an int", null);
        var unhandled = probe.ExpectMsg<UnhandledMessage>();
        counter.Tell(1, null);
        counter.Tell(new Get(), probe);

        Assert.Equal("not an int", unhandled.Message);
        Assert.Equal(1, probe.ExpectMsg<int>());
        Assert.Equal(1, c1.UnhandledCount);
    }

    [Fact]
    public void Dead_letters_are_logged_at_most_once_per_interval()
    {
        CreateSimulation();
        var lines = new List<string>();
        using var factory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(lines)));
        var interval = TimeSpan.FromSeconds(10);
        var c1 = CreateSystem("c1", new ActorSystemSettings { LoggerFactory = factory, DeadLetterLogInterval = interval });
        var nobody = c1.ResolveRef("dct://c1/user/nobody");

        for (var i = 0; i < 100; i++)
        {
            nobody.Tell(i, null);
        }

        Simulation.Advance(interval);
        nobody.Tell("after the interval", null);

        Assert.Equal(101, c1.DeadLetterCount);
        Assert.Equal(2, lines.Count(l => l.StartsWith("Dead letter", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(OverflowPolicy.DropNewest)]
    [InlineData(OverflowPolicy.DropOldest)]
    [InlineData(OverflowPolicy.Fail)]
    public void Full_mailbox_applies_its_overflow_policy(OverflowPolicy policy)
    {
        CreateSimulation(testName: nameof(Full_mailbox_applies_its_overflow_policy) + policy);
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        const int capacity = 5;
        const int sent = 12;
        var relay = c1.ActorOf(Props.Create(() => new RelayActor(probe)).WithMailbox(new MailboxSettings(capacity, policy)), "relay");

        // Under the simulation nothing runs until we let it: all twelve land in the mailbox at once.
        for (var i = 0; i < sent; i++)
        {
            relay.Tell(i, null);
        }

        var received = probe.ReceiveN(capacity).Cast<int>().ToList();
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));

        var expected = policy == OverflowPolicy.DropOldest ? Enumerable.Range(sent - capacity, capacity) : Enumerable.Range(0, capacity);
        Assert.Equal(expected, received);
        Assert.Equal(policy == OverflowPolicy.Fail ? sent - capacity : 0, c1.DeadLetterCount);
        Assert.Equal(policy == OverflowPolicy.Fail ? 0 : sent - capacity, c1.DroppedCount);
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Add(formatter(state, exception));
        }
    }
}
