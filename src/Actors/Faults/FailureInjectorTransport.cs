namespace Decentral.Actors;

/// <summary>
/// The fault layer: wraps any <see cref="ITransport"/> and, per directed link between system
/// addresses, blackholes, drops, duplicates, delays or reorders envelopes. All randomness comes from
/// one seeded generator (under a simulation, derived from its seed). Counters say what it did.
/// With no fault configured an envelope passes straight through.
/// </summary>
public sealed partial class FailureInjectorTransport : ITransport
{
    private readonly ITransport _inner;
    private readonly TimeProvider _time;
    private readonly SeededRandom _random;
    private readonly object _gate = new();
    private readonly Dictionary<(Address From, Address To), LinkFaults> _links = [];
    private readonly Dictionary<(Address From, Address To), DelayLine> _lines = [];
    private readonly List<Address> _known = [];
    private volatile bool _anyFaults;
    private int _inFlight;
    private long _sent;
    private long _dropped;
    private long _duplicated;
    private long _delayed;
    private long _blackholed;
    private long _reordered;

    public FailureInjectorTransport(ITransport inner, TimeProvider time, long seed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _time = time;
        _random = new SeededRandom(seed);
    }

    public long SentCount => Interlocked.Read(ref _sent);

    public long DroppedCount => Interlocked.Read(ref _dropped);

    public long DuplicatedCount => Interlocked.Read(ref _duplicated);

    public long DelayedCount => Interlocked.Read(ref _delayed);

    public long BlackholedCount => Interlocked.Read(ref _blackholed);

    public long ReorderedCount => Interlocked.Read(ref _reordered);

    /// <summary>Addresses faults may name: every address ever bound here, plus those added with <see cref="AddKnownAddress"/>.</summary>
    public IReadOnlyList<Address> KnownAddresses
    {
        get
        {
            lock (_gate)
            {
                return [.. _known];
            }
        }
    }

    public void Bind(Address address, Action<TransportEnvelope> inbound)
    {
        AddKnownAddress(address);
        _inner.Bind(address, inbound);
    }

    public void Unbind(Address address) => _inner.Unbind(address);

    /// <summary>Declares a peer that is not bound in this process (a remote system behind TCP).</summary>
    public void AddKnownAddress(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            if (!_known.Contains(address))
            {
                _known.Add(address);
            }
        }
    }

    public void Send(TransportEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Interlocked.Increment(ref _sent);
        if (!_anyFaults && Volatile.Read(ref _inFlight) == 0)
        {
            _inner.Send(envelope);
            return;
        }

        lock (_gate)
        {
            var link = _links.GetValueOrDefault((envelope.From, envelope.To)) ?? LinkFaults.None;
            if (link.Blackholed)
            {
                Interlocked.Increment(ref _blackholed);
                return;
            }

            if (_random.Chance(link.DropProbability))
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            var copies = 1;
            if (_random.Chance(link.DuplicateProbability))
            {
                Interlocked.Increment(ref _duplicated);
                copies = 2;
            }

            for (var i = 0; i < copies; i++)
            {
                Forward(envelope, link);
            }
        }
    }

    private void Forward(TransportEnvelope envelope, LinkFaults link)
    {
        if (link.ReorderMaxDelay > TimeSpan.Zero && _random.Chance(link.ReorderProbability))
        {
            // Leaves the link's FIFO on purpose: a random extra delay lets later envelopes overtake it.
            Interlocked.Increment(ref _reordered);
            var extra = link.ReorderMaxDelay * _random.NextDouble();
            var total = (link.Delay?.Sample(_random) ?? TimeSpan.Zero) + extra;
            SendLater(envelope, total);
            return;
        }

        var delay = link.Delay?.Sample(_random) ?? TimeSpan.Zero;
        var key = (envelope.From, envelope.To);
        _lines.TryGetValue(key, out var line);
        if (delay > TimeSpan.Zero || (line is not null && !line.IsEmpty))
        {
            // Also undelayed envelopes queue behind delayed ones still in flight: the link stays FIFO.
            if (line is null)
            {
                line = new DelayLine(_time, e =>
                {
                    Interlocked.Decrement(ref _inFlight);
                    _inner.Send(e);
                });
                _lines[key] = line;
            }

            if (delay > TimeSpan.Zero)
            {
                Interlocked.Increment(ref _delayed);
            }

            Interlocked.Increment(ref _inFlight);
            line.Enqueue(envelope, delay);
            return;
        }

        _inner.Send(envelope);
    }

    private void SendLater(TransportEnvelope envelope, TimeSpan delay)
    {
        Interlocked.Increment(ref _inFlight);
        var holder = new TimerHolder();
        holder.Timer = _time.CreateTimer(static state =>
        {
            var (self, env, h) = ((FailureInjectorTransport, TransportEnvelope, TimerHolder))state!;
            h.Timer?.Dispose();
            Interlocked.Decrement(ref self._inFlight);
            self._inner.Send(env);
        }, (this, envelope, holder), delay, Timeout.InfiniteTimeSpan);
    }

    private sealed class TimerHolder
    {
        public ITimer? Timer { get; set; }
    }
}
