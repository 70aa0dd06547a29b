namespace Decentral.Actors.Tests.Tcp;

/// <summary>
/// Holds a system's Bind back until <see cref="Open"/>, so a test can create the system and its actors
/// before any peer can reach it (otherwise a waiting peer may deliver before the recipient exists).
/// </summary>
internal sealed class DeferredBindTransport(ITransport inner) : ITransport
{
    private readonly List<(Address Address, Action<TransportEnvelope> Inbound)> _pending = [];

    public void Bind(Address address, Action<TransportEnvelope> inbound) => _pending.Add((address, inbound));

    public void Open()
    {
        foreach (var (address, inbound) in _pending)
        {
            inner.Bind(address, inbound);
        }

        _pending.Clear();
    }

    public void Unbind(Address address) => inner.Unbind(address);

    public void Send(TransportEnvelope envelope) => inner.Send(envelope);
}
