namespace Decentral.Actors;

public enum SimulationEventKind
{
    /// <summary>An actor handled one user message.</summary>
    Delivery,

    /// <summary>An actor ran only kernel work (creation, supervision, stop, watch bookkeeping).</summary>
    SystemWork,

    /// <summary>A timer fired (actor timers, network delays, fault-layer delays).</summary>
    Timer,

    /// <summary>A callback scheduled with <see cref="Simulation.Schedule"/>.</summary>
    Callback,
}

/// <summary>One executed simulation event, as the trace hook sees it.</summary>
public readonly record struct SimulationEvent(
    long Index,
    TimeSpan Time,
    SimulationEventKind Kind,
    ActorPath? Recipient,
    ActorPath? Sender,
    object? Message);

/// <summary>A run did not finish within its event bound: usually a livelock or a periodic timer under RunUntilIdle.</summary>
public sealed class SimulationLimitExceededException : Exception
{
    public SimulationLimitExceededException()
    {
    }

    public SimulationLimitExceededException(string message)
        : base(message)
    {
    }

    public SimulationLimitExceededException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Settings of a simulation, fixed when it is created.</summary>
public sealed record SimulationSettings
{
    /// <summary>Base one-way latency of the simulated network between systems.</summary>
    public static readonly TimeSpan DefaultNetworkLatency = TimeSpan.FromMilliseconds(1);

    public static readonly SimulationSettings Default = new();

    public TimeSpan NetworkLatency { get; init; } = DefaultNetworkLatency;

    /// <summary>Logger factory of systems whose settings leave the default.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Also hash each delivered message's ToString() into the trace (slower; catches payload divergence).</summary>
    public bool TraceMessageContents { get; init; }
}

/// <summary>The simulation's dispatcher: each mailbox run is an event, one user message per run.</summary>
internal sealed class SimulationDispatcher(Simulation simulation) : IDispatcher
{
    public TimeProvider Time => simulation.Time;

    // One message per event maximises the interleavings a seed can pick from.
    public int Throughput => 1;

    public void Schedule(IDispatchable work) => simulation.ScheduleRun(work);
}
