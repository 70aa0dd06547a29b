using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Decentral.Actors;

/// <summary>Settings of one actor system, fixed when it is created.</summary>
public sealed record ActorSystemSettings
{
    /// <summary>How often, at most, the dead-letter count is logged.</summary>
    public static readonly TimeSpan DefaultDeadLetterLogInterval = TimeSpan.FromSeconds(10);

    public static readonly ActorSystemSettings Default = new();

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Mailbox bound and overflow policy of actors whose Props set none.</summary>
    public MailboxSettings Mailbox { get; init; } = MailboxSettings.Default;

    /// <summary>Null: messages to other systems become dead letters.</summary>
    public ITransport? Transport { get; init; }

    /// <summary>Null: <c>dct://name</c>. A TCP deployment sets host and port here.</summary>
    public Address? Address { get; init; }

    public TimeSpan DeadLetterLogInterval { get; init; } = DefaultDeadLetterLogInterval;

    /// <summary>How the user guardian supervises top-level actors; Escalate there means stop and log.</summary>
    public SupervisorStrategy UserGuardianStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;

    /// <summary>Clock of a thread-pool system (null: <see cref="TimeProvider.System"/>); a simulation supplies its own.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Thread-pool dispatcher throughput (ignored under the simulation, which runs one message per event).</summary>
    public int Throughput { get; init; } = ThreadPoolDispatcher.DefaultThroughput;
}
