using System.Buffers;

namespace Decentral.Actors;

/// <summary>
/// One message on its way between systems. Carries paths, not refs, so it can cross a process
/// boundary once a serializer turns <see cref="Message"/> into bytes.
/// </summary>
public sealed record TransportEnvelope(Address From, ActorPath Recipient, ActorPath? Sender, object Message)
{
    public Address To => Recipient.Address;
}

/// <summary>
/// Moves envelopes between actor systems. Implementations: <see cref="InMemoryTransport"/> (in-process,
/// thread pool or simulated delivery), TCP (later), and <see cref="FailureInjectorTransport"/>, which wraps
/// any of them. Send never throws for an unreachable destination; it drops and counts.
/// </summary>
public interface ITransport
{
    /// <summary>Makes <paramref name="address"/> reachable; <paramref name="inbound"/> receives its envelopes.</summary>
    void Bind(Address address, Action<TransportEnvelope> inbound);

    /// <summary>Makes <paramref name="address"/> unreachable (its process died or shut down).</summary>
    void Unbind(Address address);

    void Send(TransportEnvelope envelope);
}

/// <summary>
/// Turns messages into bytes and back. Optional for the in-memory transport (set one to exercise a
/// codec in-process); required by the TCP transport.
/// </summary>
public interface IMessageSerializer
{
    void Serialize(object message, IBufferWriter<byte> output);

    object Deserialize(ReadOnlySpan<byte> bytes);
}
