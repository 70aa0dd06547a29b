using Akka.Actor;

namespace Decentral.Simulation;

public enum SimulationEventKind
{
    /// <summary>An actor handled one user message.</summary>
    Delivery,

    /// <summary>A mailbox ran only system work (creation, supervision, stop, watch bookkeeping).</summary>
    SystemWork,

    /// <summary>A timer fired (actor timers, scheduled Tells, network delays).</summary>
    Timer,

    /// <summary>A callback scheduled with <see cref="Simulator.Schedule"/>.</summary>
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
    public static readonly SimulationSettings Default = new();

    /// <summary>Also hash each delivered message's ToString() into the trace (slower; catches payload divergence).</summary>
    public bool TraceMessageContents { get; init; }

    /// <summary>Akka's log level inside simulated systems (OFF, ERROR, WARNING, INFO, DEBUG).</summary>
    public string LogLevel { get; init; } = "WARNING";
}
