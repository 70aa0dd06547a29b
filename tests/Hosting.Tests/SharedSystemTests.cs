using Akka.Actor;
using Akka.Hosting;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Decentral.Hosting.Tests;

/// <summary>The node actors run inside the application's own actor system and go down with it.</summary>
public sealed class SharedSystemTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("decentral-shared-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>An application actor: answers "ping" with "pong".</summary>
    private sealed class Pinger : ReceiveActor
    {
        public Pinger() => Receive<string>(s => s == "ping", _ => Sender.Tell("pong"));
    }

    private sealed class PingerKey;

    [Fact]
    public async Task An_application_actor_and_the_nodes_share_one_system_and_stop_together_by_coordinated_shutdown()
    {
        var file = Path.Combine(folder, "cluster.conf");
        File.WriteAllText(file, """
            decentral {
              cluster { clusters = 2, cluster-size = 2 }
              model { objective = logistic-l2, data = "", synthetic { rows = 200, features = 5 } }
              sgd.iterations = 1000000
              compute-time.model = none
            }
            """);
        var builder = Host.CreateApplicationBuilder();
        var run = new DecentralRun();
        builder.Services.AddSingleton(run);
        builder.Services.AddAkka("app", (akka, provider) => akka
            .WithActors((system, registry) => registry.Register<PingerKey>(system.ActorOf(Props.Create(() => new Pinger()), "pinger")))
            .WithDecentral(run, o => o.ConfigFile = file));
        using var host = builder.Build();
        await host.StartAsync();

        var system = host.Services.GetRequiredService<ActorSystem>();
        var runtime = await run.Started.WaitAsync(TimeSpan.FromSeconds(30));
        var trained = new IterationReached(5);
        runtime.AddObserver(trained);
        Assert.Same(system, runtime.Systems.Distinct().Single());
        var pinger = host.Services.GetRequiredService<IRequiredActor<PingerKey>>().ActorRef;
        Assert.Equal("pong", await pinger.Ask<string>("ping", TimeSpan.FromSeconds(10)));

        // Nodes train beside the application's actor, under names that carry their cluster.
        await trained.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        var node = runtime.NodeRef(runtime.NodeIndex("c2/n1"))!;
        Assert.Equal("c2-n1", node.Path.Name);
        Assert.Equal(pinger.Path.Address, node.Path.Address);

        // The application stops: CoordinatedShutdown takes the nodes down (checkpoints drained) and the system with them.
        await host.StopAsync();
        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(Enumerable.Range(0, 4), i => Assert.Null(runtime.NodeRef(i)));
        Assert.Throws<ObjectDisposedException>(runtime.Start);
    }

    /// <summary>A barrier: completes once some node has completed <paramref name="iteration"/>.</summary>
    private sealed class IterationReached(int iteration) : IRunObserver
    {
        private readonly TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => reached.Task;

        public void OnEvent(ProtocolEvent e)
        {
            if (e is IterationCompleted c && c.Iteration >= iteration)
            {
                reached.TrySetResult();
            }
        }

        public void OnSent(int node, ProtocolMessage message, int copies)
        {
        }

        public void OnCheckpointSaved(int node, SaveCheckpoint checkpoint)
        {
        }

        public void OnCheckpointProblem(int node, string problem)
        {
        }
    }
}
