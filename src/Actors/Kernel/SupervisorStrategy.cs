namespace Decentral.Actors;

/// <summary>What a supervisor does with a child that threw.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; go on with the next message.</summary>
    Resume,

    /// <summary>Discard the instance and create a fresh one from the Props (same ref, mailbox kept).</summary>
    Restart,

    /// <summary>Stop the child for good.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception; its own supervisor decides.</summary>
    Escalate,
}

/// <summary>Akka's supervision: a decider plus a bound on how often a child may be restarted.</summary>
public abstract class SupervisorStrategy
{
    /// <summary>Restart on any exception except initialization failures and Kill, which stop (Akka's default).</summary>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Akka's default: one-for-one, <see cref="DefaultDecider"/>, no restart bound.</summary>
    public static readonly SupervisorStrategy DefaultStrategy = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any child that fails.</summary>
    public static readonly SupervisorStrategy StoppingStrategy = new OneForOneStrategy(static _ => Directive.Stop);

    /// <summary>
    /// Decides for one failure of one child. Restart is turned into Stop when the child has used up its
    /// restarts within the window (the bounded restart rate).
    /// </summary>
    internal abstract Directive Decide(ChildRestartStats stats, Exception exception, TimeProvider time);
}

/// <summary>Applies the decision only to the child that failed.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    private readonly Func<Exception, Directive> _decider;

    /// <param name="maxNrOfRetries">Restarts allowed within <paramref name="withinTimeRange"/>; -1 = unlimited, 0 = none.</param>
    /// <param name="withinTimeRange">The window; <see cref="Timeout.InfiniteTimeSpan"/> counts restarts over the child's whole life.</param>
    /// <param name="decider">Maps an exception to a directive.</param>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNrOfRetries, -1);
        if (withinTimeRange <= TimeSpan.Zero && withinTimeRange != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(withinTimeRange), withinTimeRange, "The window must be positive or Timeout.InfiniteTimeSpan.");
        }

        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        _decider = decider;
    }

    public OneForOneStrategy(Func<Exception, Directive> decider)
        : this(-1, Timeout.InfiniteTimeSpan, decider)
    {
    }

    public int MaxNrOfRetries { get; }

    public TimeSpan WithinTimeRange { get; }

    internal override Directive Decide(ChildRestartStats stats, Exception exception, TimeProvider time)
    {
        Directive directive;
        try
        {
            directive = _decider(exception);
        }
        catch (Exception)
        {
            // A throwing decider must not take the supervisor down with it; escalating is the safe answer.
            return Directive.Escalate;
        }

        if (directive == Directive.Restart && !stats.RequestRestartPermission(MaxNrOfRetries, WithinTimeRange, time))
        {
            return Directive.Stop;
        }

        return directive;
    }
}

/// <summary>Restart bookkeeping a parent keeps per child.</summary>
internal sealed class ChildRestartStats
{
    private int _restartsInWindow;
    private long _windowStart = -1;

    public int TotalRestarts { get; private set; }

    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan within, TimeProvider time)
    {
        if (maxNrOfRetries == 0)
        {
            return false;
        }

        TotalRestarts++;
        if (maxNrOfRetries < 0)
        {
            return true;
        }

        if (within == Timeout.InfiniteTimeSpan)
        {
            return TotalRestarts <= maxNrOfRetries;
        }

        var now = time.GetTimestamp();
        if (_windowStart < 0 || time.GetElapsedTime(_windowStart, now) > within)
        {
            _windowStart = now;
            _restartsInWindow = 1;
            return true;
        }

        _restartsInWindow++;
        return _restartsInWindow <= maxNrOfRetries;
    }
}
