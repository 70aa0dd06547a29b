using System.Buffers;
using System.Collections.Concurrent;

namespace Decentral.Actors;

/// <summary>
/// The network between actor systems of one process. On the thread pool with zero latency it hands
/// envelopes over directly; with latency, or under a simulation's virtual clock, each delivery is a
/// timer (a simulation event), FIFO per directed link. A destination is looked up when the envelope
/// arrives, so one that crashed in the meantime loses it, as a dead process would.
/// </summary>
public sealed class InMemoryTransport : ITransport
{
    private readonly ConcurrentDictionary<Address, Action<TransportEnvelope>> _bound = new();
    private readonly Dictionary<(Address From, Address To), DelayLine> _lines = [];
    private readonly TimeProvider _time;
    private readonly bool _delayed;
    private long _sent;
    private long _delivered;
    private long _undeliverable;

    public InMemoryTransport(TimeProvider? time = null, TimeSpan latency = default, IMessageSerializer? serializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
        Latency = latency;
        Serializer = serializer;
        _delayed = latency > TimeSpan.Zero || _time is VirtualTimeProvider;
    }

    public TimeSpan Latency { get; }

    /// <summary>When set, every message is serialized and deserialized on the way (exercises a codec in-process).</summary>
    public IMessageSerializer? Serializer { get; }

    public long SentCount => Interlocked.Read(ref _sent);

    public long DeliveredCount => Interlocked.Read(ref _delivered);

    /// <summary>Envelopes whose destination was not bound when they arrived.</summary>
    public long UndeliverableCount => Interlocked.Read(ref _undeliverable);

    public void Bind(Address address, Action<TransportEnvelope> inbound)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(inbound);
        if (!_bound.TryAdd(address, inbound))
        {
            throw new ArgumentException($"Address {address} is already bound on this transport.", nameof(address));
        }
    }

    public void Unbind(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _bound.TryRemove(address, out _);
    }

    public bool IsBound(Address address) => _bound.ContainsKey(address);

    public void Send(TransportEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Interlocked.Increment(ref _sent);
        if (Serializer is not null)
        {
            envelope = envelope with { Message = RoundTrip(envelope.Message) };
        }

        if (!_delayed)
        {
            Deliver(envelope);
            return;
        }

        DelayLine line;
        lock (_lines)
        {
            var key = (envelope.From, envelope.To);
            if (!_lines.TryGetValue(key, out line!))
            {
                line = new DelayLine(_time, Deliver);
                _lines[key] = line;
            }
        }

        line.Enqueue(envelope, Latency);
    }

    private void Deliver(TransportEnvelope envelope)
    {
        if (_bound.TryGetValue(envelope.To, out var inbound))
        {
            Interlocked.Increment(ref _delivered);
            inbound(envelope);
        }
        else
        {
            Interlocked.Increment(ref _undeliverable);
        }
    }

    private object RoundTrip(object message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Serializer!.Serialize(message, buffer);
        return Serializer.Deserialize(buffer.WrittenSpan);
    }
}
