namespace Decentral.Actors;

/// <summary>What a full mailbox does with one more message.</summary>
public enum OverflowPolicy
{
    /// <summary>The incoming message is discarded (counted in <see cref="ActorSystem.DroppedCount"/>).</summary>
    DropNewest,

    /// <summary>The oldest queued message is discarded to make room (counted).</summary>
    DropOldest,

    /// <summary>The incoming message is refused and goes to dead letters (counted and logged there).</summary>
    Fail,
}

/// <summary>Every mailbox is bounded; order per sender–receiver pair is always kept.</summary>
public sealed record MailboxSettings
{
    /// <summary>Default bound on queued user messages per actor.</summary>
    public const int DefaultCapacity = 10_000;

    public static readonly MailboxSettings Default = new();

    public MailboxSettings(int capacity = DefaultCapacity, OverflowPolicy overflow = OverflowPolicy.Fail)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (!Enum.IsDefined(overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow policy.");
        }

        Capacity = capacity;
        Overflow = overflow;
    }

    public int Capacity { get; }

    public OverflowPolicy Overflow { get; }
}
