using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

public sealed class TestKitTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    /// <summary>Replies to "later" after the given virtual delay, via a timer.</summary>
    private sealed class Delayed(TimeSpan delay) : ReceiveActor
    {
        private IActorRef? _asker;

        protected internal override void PreStart()
        {
            Receive<string>(s => s == "later", _ =>
            {
                _asker = Sender;
                Timers.StartSingleTimer("t", "fire", delay);
            });
            Receive<string>(s => s == "fire", _ => _asker!.Tell("done", Self));
        }
    }

    [Fact]
    public void ExpectMsg_in_virtual_time_returns_at_the_exact_instant_of_arrival()
    {
        var sim = CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        var actor = c1.ActorOf(Props.Create(() => new Delayed(TimeSpan.FromMilliseconds(700))));

        probe.Send(actor, "later");

        Assert.Equal("done", probe.ExpectMsg<string>(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(700), sim.Now);
        Assert.Equal(actor.Path, probe.LastSender!.Path);
    }

    [Fact]
    public void ExpectMsg_timeout_fails_at_the_deadline_and_names_the_replay_command()
    {
        var sim = CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        var actor = c1.ActorOf(Props.Create(() => new Delayed(TimeSpan.FromSeconds(5))));
        probe.Send(actor, "later");

        var failure = Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsg<string>(TimeSpan.FromSeconds(2)));

        Assert.Equal(TimeSpan.FromSeconds(2), sim.Now);
        Assert.Contains($"DECENTRAL_SEED={sim.Seed}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"FullyQualifiedName~{typeof(TestKitTests).FullName}.{nameof(ExpectMsg_timeout_fails_at_the_deadline_and_names_the_replay_command)}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsg_of_the_wrong_type_or_predicate_fails_clearly()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        probe.Tell(42, null);
        probe.Tell(43, null);

        var wrongType = Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsg<string>());
        var wrongValue = Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsg<int>(i => i == 0));

        Assert.Contains("expected a String", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("43", wrongValue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsgFrom_checks_the_sender()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        var other = CreateTestProbe(c1);
        var echo = c1.ActorOf(Props.Create(() => new EchoActor()), "echo");

        probe.Send(echo, "a");
        probe.ExpectMsgFrom<string>(echo);
        echo.Tell("b", other);
        other.ExpectMsg("b");
        probe.Tell("c", other);

        Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsgFrom<string>(echo));
    }

    [Fact]
    public void ExpectNoMsg_lets_exactly_its_duration_pass_and_fails_on_a_message()
    {
        var sim = CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        var actor = c1.ActorOf(Props.Create(() => new Delayed(TimeSpan.FromMilliseconds(300))));

        probe.Send(actor, "later");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(200), sim.Now);

        var failure = Assert.Throws<TestKitAssertionException>(() => probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(TimeSpan.FromMilliseconds(300), sim.Now);
        Assert.Contains("done", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FishForMessage_skips_until_a_match_and_ReceiveN_takes_in_order()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        for (var i = 0; i < 10; i++)
        {
            probe.Tell(i, null);
        }

        Assert.Equal(4, probe.FishForMessage<int>(i => i > 3));
        Assert.Equal([5, 6, 7], probe.ReceiveN(3).Cast<int>());
        Assert.Throws<TestKitAssertionException>(() => probe.ReceiveN(5, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ExpectMsgAllOf_accepts_any_order_and_rejects_strangers()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        foreach (var i in new[] { 3, 1, 2, 9 })
        {
            probe.Tell(i, null);
        }

        Assert.Equal([3, 1, 2], probe.ExpectMsgAllOf<int>([1, 2, 3]));
        Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsgAllOf<int>([4]));
    }

    [Fact]
    public void Within_bounds_the_block_and_shares_its_budget_with_inner_expectations()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        var fast = c1.ActorOf(Props.Create(() => new Delayed(TimeSpan.FromMilliseconds(100))));
        var slow = c1.ActorOf(Props.Create(() => new Delayed(TimeSpan.FromSeconds(2))));

        probe.Within(TimeSpan.FromMilliseconds(500), () =>
        {
            probe.Send(fast, "later");
            probe.ExpectMsg("done");
        });

        probe.Send(slow, "later");
        var start = Simulation.Now;
        Assert.Throws<TestKitAssertionException>(() => probe.Within(TimeSpan.FromSeconds(1), () => probe.ExpectMsg("done")));
        Assert.Equal(TimeSpan.FromSeconds(1), Simulation.Now - start);
        Assert.Throws<TestKitAssertionException>(() => probe.Within(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6), () => { }));
    }

    [Fact]
    public void AwaitCondition_and_AwaitAssert_poll_at_exact_virtual_intervals()
    {
        var sim = CreateSimulation();
        var flag = false;
        sim.Schedule(TimeSpan.FromMilliseconds(1_550), () => flag = true);

        AwaitCondition(() => flag, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(1_600), sim.Now);

        var count = 0;
        sim.Schedule(TimeSpan.FromMilliseconds(250), () => count = 3);
        AwaitAssert(() => Assert.Equal(3, count), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(1_900), sim.Now);

        var failure = Assert.Throws<TestKitAssertionException>(() => AwaitAssert(() => Assert.Equal(4, count), TimeSpan.FromSeconds(1)));
        Assert.Contains("still failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_time_expectations_and_awaits_work_with_generous_bounds()
    {
        var system = CreateSystem("real");
        var probe = CreateTestProbe(system);
        var echo = system.ActorOf(Props.Create(() => new EchoActor()));
        var gate = new TaskCompletionSource();

        probe.Send(echo, "hello");
        probe.ExpectMsg("hello", TimeSpan.FromSeconds(30));
        Task.Run(gate.SetResult);
        AwaitCondition(() => gate.Task.IsCompleted, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(5));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsg<string>(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void Seeds_are_stable_per_test_name_and_the_replay_command_is_exact()
    {
        var a = SeedFor("Ns.Class.Test");
        Assert.Equal(a, SeedFor("Ns.Class.Test"));
        if (Environment.GetEnvironmentVariable(SeedVariable) is null)
        {
            Assert.NotEqual(a, SeedFor("Ns.Class.Other"));
        }

        Assert.Equal("DECENTRAL_SEED=17 dotnet test --filter \"FullyQualifiedName~Ns.Class.Test\"", ReplayCommand("Ns.Class.Test", 17));
    }
}
