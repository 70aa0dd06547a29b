using Akka.Configuration;
using Akka.Dispatch;

namespace Decentral.Simulation;

/// <summary>Akka's factory for the simulation dispatcher: one instance per configured dispatcher id.</summary>
public sealed class SimulationDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly SimulationDispatcher instance;

    public SimulationDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        ArgumentNullException.ThrowIfNull(prerequisites);
        var simulator = (prerequisites.Scheduler as SimulationScheduler)?.Simulator
            ?? throw new InvalidOperationException(
                "The simulation dispatcher needs the simulation scheduler (akka.scheduler.implementation); create systems through Simulator.CreateSystem.");
        instance = new SimulationDispatcher(this, config, simulator);
    }

    public override MessageDispatcher Dispatcher() => instance;
}

/// <summary>
/// A dispatcher that runs nothing itself: a mailbox that has work is handed to the simulator's ready
/// set, and the simulator's single-threaded loop picks which one runs next (seeded). Exactly one user
/// message per run: Akka's mailbox handles throughput + 1 messages unless the throughput deadline has
/// passed, and a deadline of 0 has always passed.
/// </summary>
public sealed class SimulationDispatcher : MessageDispatcher
{
    private readonly Simulator simulator;

    internal SimulationDispatcher(MessageDispatcherConfigurator configurator, Config config, Simulator simulator)
        : base(configurator)
    {
        this.simulator = simulator;
        Id = config.GetString("id", "simulation-dispatcher");
        Throughput = 1;
        ThroughputDeadlineTime = 0;
        ShutdownTimeout = TimeSpan.FromSeconds(1);
    }

    protected override void ExecuteTask(IRunnable run) => simulator.Ready.Add(run);

    protected override void Shutdown()
    {
        // Nothing to stop: the simulator's loop owns execution.
    }
}
