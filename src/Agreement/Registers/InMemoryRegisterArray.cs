namespace Decentral.Agreement;

/// <summary>
/// Registers as an array of references to immutable entries. A reference write is atomic and
/// Volatile.Read/Write give the ordering, so the array is a correct single-writer multi-reader atomic
/// register array also when members run on different threads.
/// </summary>
public sealed class InMemoryRegisterArray : IRegisterArray
{
    private readonly RegisterEntry?[] slots;
    private long reads;
    private long writes;

    public InMemoryRegisterArray(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        slots = new RegisterEntry?[count];
    }

    public int Count => slots.Length;

    public long ReadCount => Interlocked.Read(ref reads);

    public long WriteCount => Interlocked.Read(ref writes);

    public RegisterEntry? Read(int slot)
    {
        CheckSlot(slot);
        Interlocked.Increment(ref reads);
        return Volatile.Read(ref slots[slot]);
    }

    /// <summary>Writes slot <paramref name="slot"/>; its round may not decrease (single writer, rounds only advance).</summary>
    public void Write(int slot, RegisterEntry entry)
    {
        CheckSlot(slot);
        ArgumentNullException.ThrowIfNull(entry);
        var current = Volatile.Read(ref slots[slot]);
        if (current is not null && entry.Round < current.Round)
        {
            throw new ArgumentException(
                $"Slot {slot} holds round {current.Round}; writing round {entry.Round} would move it backwards.",
                nameof(entry));
        }

        Interlocked.Increment(ref writes);
        Volatile.Write(ref slots[slot], entry);
    }

    private void CheckSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, slots.Length);
    }
}
