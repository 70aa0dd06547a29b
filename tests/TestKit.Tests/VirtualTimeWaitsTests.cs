using System.Diagnostics;
using Akka.Actor;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Decentral.TestKit.Tests;

/// <summary>
/// Akka.TestKit's waits under the test's simulation: they run it until what they wait for happens, stop
/// at that virtual instant, time out in virtual time with Akka's messages, and follow Akka's rules.
/// Messages come from callbacks the simulation runs at fixed virtual instants.
/// </summary>
public sealed class VirtualTimeWaitsTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    private void TellAt(double seconds, IActorRef to, object message) =>
        Simulation.Schedule(TimeSpan.FromSeconds(seconds), () => to.Tell(message, ActorRefs.NoSender));

    [Fact]
    public void ExpectMsg_on_a_probe_stops_at_the_virtual_instant_the_message_arrives()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        TellAt(2.5, probe.Ref, "hello");
        var wall = Stopwatch.StartNew();
        Assert.Equal("hello", probe.ExpectMsg("hello"));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Simulation.Now);
        Assert.True(wall.Elapsed < TimeSpan.FromSeconds(2.5), $"the wait took {wall.Elapsed} of wall time: it waited instead of running the simulation");
    }

    [Fact]
    public void ExpectMsg_times_out_after_the_default_in_virtual_time_with_Akkas_message()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        TellAt(5, probe.Ref, "late");
        var e = Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsg<string>());
        Assert.StartsWith("Failed: Timeout 00:00:03 while waiting for a message of type System.String", e.Message, StringComparison.Ordinal);
        Assert.Contains("DECENTRAL_SEED=", e.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(3), Simulation.Now);
        Assert.Equal("late", probe.ExpectMsg<string>(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(5), Simulation.Now);
    }

    [Fact]
    public void The_test_kits_own_actor_waits_in_virtual_time_too()
    {
        CreateSimulation();
        TellAt(1, TestActor, 42);
        Assert.Equal(42, ExpectMsg<int>(i => i == 42));
        Assert.Equal(OneSecond, Simulation.Now);
    }

    [Fact]
    public void Akkas_checks_on_the_received_message_still_apply()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        TellAt(1, probe.Ref, 7);
        var e = Assert.ThrowsAny<XunitException>(() => probe.ExpectMsg<string>());
        Assert.Contains("Expected a message of type System.String", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectNoMsg_passes_its_duration_in_virtual_time_and_fails_at_the_first_message()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        TellAt(4, probe.Ref, "intruder");
        probe.ExpectNoMsg(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), Simulation.Now);
        var e = Assert.Throws<TestKitAssertionException>(() => probe.ExpectNoMsg(TimeSpan.FromSeconds(10)));
        Assert.StartsWith("Failed: Expected no messages during 00:00:10, instead we received intruder after 00:00:01", e.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(4), Simulation.Now);
    }

    [Fact]
    public void FishForMessage_ReceiveN_ReceiveWhile_and_ReceiveOne_read_the_queue_as_the_simulation_fills_it()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        for (var i = 1; i <= 6; i++)
        {
            TellAt(i, probe.Ref, i);
        }
        var skipped = new System.Collections.ArrayList();
        Assert.Equal(2, probe.FishForMessage<int>(i => i == 2, skipped, TimeSpan.FromSeconds(10)));
        Assert.Equal([1], skipped.Cast<int>());
        Assert.Equal([3, 4], probe.ReceiveN(2, TimeSpan.FromSeconds(10)).Cast<int>());
        Assert.Equal(TimeSpan.FromSeconds(4), Simulation.Now);
        Assert.Equal([5], probe.ReceiveWhile<int>(i => i < 6, max: TimeSpan.FromSeconds(10)));
        Assert.Equal(6, probe.ReceiveOne(TimeSpan.FromSeconds(10)));
        Assert.Null(probe.ReceiveOne(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(8), Simulation.Now);
    }

    [Fact]
    public void ReceiveN_times_out_with_Akkas_count_of_what_came()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        TellAt(1, probe.Ref, "one");
        var e = Assert.Throws<TestKitAssertionException>(() => probe.ReceiveN(2, TimeSpan.FromSeconds(5)));
        Assert.StartsWith("Timeout (00:00:05) while expecting 2 messages. Only got 1 after 00:00:05.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsgAllOf_AnyOf_and_From_take_messages_in_virtual_time()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        var other = CreateTestProbe();
        TellAt(1, probe.Ref, "b");
        TellAt(2, probe.Ref, "a");
        Simulation.Schedule(TimeSpan.FromSeconds(3), () => probe.Ref.Tell("c", other.Ref));
        Assert.Equal(["b", "a"], probe.ExpectMsgAllOf(TimeSpan.FromSeconds(5), "a", "b"));
        Assert.Equal("c", probe.ExpectMsgFrom<string>(other.Ref));
        TellAt(1, probe.Ref, "y");
        Assert.Equal("y", probe.ExpectMsgAnyOf(["x", "y"]));
        Assert.Equal(TimeSpan.FromSeconds(4), Simulation.Now);
    }

    [Fact]
    public void AwaitAssert_polls_at_Akkas_interval_on_the_virtual_clock()
    {
        CreateSimulation();
        var done = false;
        Simulation.Schedule(TimeSpan.FromSeconds(2.45), () => done = true);
        AwaitAssert(() => Assert.True(done), TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Simulation.Now);
    }

    [Fact]
    public void AwaitAssert_rethrows_the_assertions_own_failure_when_virtual_time_is_up()
    {
        CreateSimulation();
        Assert.Throws<FailException>(() => AwaitAssert(() => Assert.Fail("never"), OneSecond));
        Assert.Equal(OneSecond, Simulation.Now);
    }

    [Fact]
    public void AwaitCondition_fails_with_Akkas_message_after_its_virtual_timeout()
    {
        CreateSimulation();
        var e = Assert.Throws<TestKitAssertionException>(() => AwaitCondition(() => false, OneSecond, "the impossible"));
        Assert.StartsWith("Timeout 00:00:01 expired while waiting for condition. the impossible", e.Message, StringComparison.Ordinal);
        Assert.False(AwaitConditionNoThrow(() => false, OneSecond));
        Assert.Equal(TimeSpan.FromSeconds(2), Simulation.Now);
    }

    [Fact]
    public void Within_fails_as_Akkas_when_the_block_takes_longer_in_virtual_time()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        TellAt(10, probe.Ref, "slow");
        // An explicit timeout is not cut by Within (Akka's rule): the block ends at 10 s, Within then fails.
        var e = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromSeconds(5), () => probe.ExpectMsg<string>(TimeSpan.FromSeconds(20))));
        Assert.StartsWith("Failed: Block took 00:00:10, exceeding 00:00:05.", e.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), Simulation.Now);
    }

    [Fact]
    public void Within_cuts_default_timeouts_to_what_it_leaves_and_checks_its_minimum()
    {
        CreateSimulation();
        TellAt(10, TestActor, "slow");
        var e = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromSeconds(5), () =>
        {
            Assert.Equal(TimeSpan.FromSeconds(5), Remaining);
            ExpectMsg<string>();
        }));
        Assert.StartsWith("Failed: Timeout 00:00:05 while waiting", e.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), Simulation.Now);

        TellAt(1, TestActor, "quick");
        var tooFast = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), () => ExpectMsg("quick")));
        Assert.StartsWith("Failed: Block took 00:00:01, should have at least been 00:00:02.", tooFast.Message, StringComparison.Ordinal);
        Assert.Equal("in time", Within(TimeSpan.FromSeconds(3), () => "in time"));
    }

    [Fact]
    public void ExpectNoMsg_waits_what_Within_leaves_and_Within_ignores_a_block_that_ends_in_it_as_Akka_does()
    {
        CreateSimulation();
        Within(OneSecond, () => ExpectNoMsg());
        Assert.Equal(OneSecond, Simulation.Now);
        Within(OneSecond, () => ExpectNoMsg(TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(4), Simulation.Now);
    }

    [Fact]
    public async Task The_async_forms_complete_on_the_test_thread_in_virtual_time()
    {
        CreateSimulation();
        var probe = CreateTestProbe();
        TellAt(2, probe.Ref, "async");
        var got = await WithinAsync(TimeSpan.FromSeconds(5), async () => await probe.ExpectMsgAsync<string>());
        Assert.Equal("async", got);
        await probe.ExpectNoMsgAsync(OneSecond);
        Assert.Equal(TimeSpan.FromSeconds(3), Simulation.Now);
    }

    [Fact]
    public async Task An_async_block_that_awaits_something_else_fails_fast_instead_of_waiting_on_the_wall_clock()
    {
        CreateSimulation();
        using var never = new SemaphoreSlim(0);
        var wall = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<VirtualTimeMisuseException>(() => AwaitAssertAsync(async () => await never.WaitAsync(), TimeSpan.FromSeconds(30)));
        Assert.Contains("use the synchronous form", e.Message, StringComparison.Ordinal);
        Assert.True(wall.Elapsed < TimeSpan.FromSeconds(5), $"took {wall.Elapsed}");
        Assert.Equal(TimeSpan.Zero, Simulation.Now);
    }

    [Fact]
    public void ExpectTerminated_sees_a_simulated_actor_stop_at_its_virtual_instant()
    {
        CreateSimulation();
        var system = Simulation.CreateSystem("watched");
        var actor = system.ActorOf(Props.Create(() => new Silent()), "silent");
        var probe = CreateTestProbe();
        probe.Watch(actor);
        Simulation.Schedule(TimeSpan.FromSeconds(2), () => system.Stop(actor));
        Assert.Equal(actor, probe.ExpectTerminated(actor).ActorRef);
        Assert.Equal(TimeSpan.FromSeconds(2), Simulation.Now);
    }

    [Fact]
    public void Without_a_simulation_the_waits_are_Akkas_own()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("now");
        Assert.Equal("now", probe.ExpectMsg<string>());
        AwaitAssert(() => Assert.Equal(0, 0));
    }

    private sealed class Silent : ReceiveActor
    {
    }
}
