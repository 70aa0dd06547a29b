using Decentral.Actors;

namespace Decentral.Actors.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Simulated_echo_round_trip_across_two_systems_takes_two_network_latencies()
    {
        var sim = new Simulation(1);
        var c1 = sim.CreateSystem("c1");
        var c2 = sim.CreateSystem("c2");
        c2.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var replies = new List<(object Message, TimeSpan At)>();
        var client = c1.ActorOf(Props.Create(() => new FuncActor((ctx, m) =>
        {
            if (m is string s && s == "go")
            {
                ctx.System.ResolveRef("dct://c2/user/echo").Tell("ping", ctx.Self);
            }
            else
            {
                replies.Add((m, ctx.System.Simulation!.Now));
            }

            return true;
        })), "client");

        client.Tell("go", null);
        sim.RunUntilIdle();

        var reply = Assert.Single(replies);
        Assert.Equal("ping", reply.Message);
        Assert.Equal(SimulationSettings.DefaultNetworkLatency * 2, reply.At);
    }

    [Fact]
    public async Task Thread_pool_echo_replies()
    {
        var system = ActorSystem.Create("tp");
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = system.ActorOf(Props.Create(() => new FuncActor((ctx, m) =>
        {
            if (m is "go")
            {
                echo.Tell("ping", ctx.Self);
            }
            else
            {
                done.TrySetResult(m);
            }

            return true;
        })));
        client.Tell("go", null);
        Assert.Equal("ping", await done.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
