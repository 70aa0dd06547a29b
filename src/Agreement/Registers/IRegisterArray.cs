namespace Decentral.Agreement;

/// <summary>
/// The shared memory of one cluster for one agreement instance: one single-writer multi-reader atomic
/// register per member. Slot i is written only by member i; anyone may read any slot. A slot never
/// written reads as null.
/// </summary>
public interface IRegisterArray
{
    int Count { get; }

    RegisterEntry? Read(int slot);

    void Write(int slot, RegisterEntry entry);
}
