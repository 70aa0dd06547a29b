namespace Decentral.Actors;

/// <summary>Sets messages aside while an actor is not ready for them (Akka's IStash).</summary>
public interface IStash
{
    /// <summary>Keeps the message being handled for later. Bounded by the mailbox capacity.</summary>
    void Stash();

    /// <summary>Puts every stashed message back in front of the mailbox, oldest first.</summary>
    void UnstashAll();

    int Count { get; }
}

internal sealed class StashImpl(ActorCell cell, int capacity) : IStash
{
    private readonly List<Envelope> _stashed = [];

    public int Count => _stashed.Count;

    public void Stash()
    {
        var envelope = cell.CurrentEnvelope ?? throw new InvalidOperationException("Stash() is only valid while handling a message.");
        if (_stashed.Count >= capacity)
        {
            throw new InvalidOperationException($"The stash of {cell.Self.Path} is full ({capacity} messages).");
        }

        _stashed.Add(envelope);
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        cell.Prepend(_stashed);
        _stashed.Clear();
    }

    /// <summary>On stop or crash the stashed messages go where the mailbox goes.</summary>
    internal List<Envelope> Drain()
    {
        var all = new List<Envelope>(_stashed);
        _stashed.Clear();
        return all;
    }
}
