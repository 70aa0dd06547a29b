using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Wire;

namespace Decentral.Remote;

/// <summary>
/// A peer's inbox acknowledges a protocol message it handed to its node: what the sending process's
/// <see cref="PeerOutboxes">outbox</see> waits for before it sends more. The only Decentral message a
/// peer may send besides models (Hyperion, <see cref="RemoteSerialization.HyperionAccepted"/>).
/// </summary>
public sealed record Delivered(int Sender, int Recipient, int Iteration, int Round)
{
    public Stage Stage => new(Iteration, Round);
}

/// <summary>
/// One outbox as <c>status</c> shows it: messages waiting (<paramref name="PendingMessages"/> distinct
/// messages for <paramref name="PendingSends"/> recipients: at most one message per local sender), sends
/// in flight (unacknowledged, at most <paramref name="Window"/>), and what happened so far: sent,
/// acknowledged, superseded by a newer message before going out, dropped as a copy of a send still in
/// flight (a resend), timed out (counted lost), acknowledged after timing out.
/// </summary>
public sealed record OutboxCounters(
    string Peer,
    int PendingMessages,
    int PendingSends,
    int InFlight,
    int Window,
    long Sent,
    long Acknowledged,
    long Superseded,
    long DuplicatesDropped,
    long TimedOut,
    long LateAcknowledgements,
    double AckTimeoutMs);

/// <summary>
/// How much an outbox keeps in flight and how long it waits for an acknowledgement, from the size of one
/// encoded model: a window of about <see cref="WindowBytes"/> (2 to 64 messages: two 8 MB models at
/// d = 10⁶, so the receiver decodes one while the next arrives), and a base timeout that covers pushing a
/// window both ways at a pessimistic <see cref="SlowBytesPerSecond"/> (acknowledgements queue behind the
/// peer's own models on the same connection).
/// </summary>
public sealed record OutboxSettings(int Window, TimeSpan AckTimeout, TimeSpan MaxAckTimeout)
{
    /// <summary>What a peer may hold of this process's models in Akka's buffers and on the wire.</summary>
    public const long WindowBytes = 16L * 1024 * 1024;

    /// <summary>A throughput a loaded machine reaches through Akka.Remote (measured: 80–500 MB/s on 2 cores when idle).</summary>
    public const double SlowBytesPerSecond = 16e6;

    /// <summary>
    /// What the failure detectors assume of a heavily overloaded machine (measured: 20 iterations of
    /// d = 10⁶ over TLS at a load average of 40 on 2 cores moved about 5 MB/s per process).
    /// </summary>
    public const double StarvedBytesPerSecond = 2e6;

    public static OutboxSettings For(int dimension, VectorEncoding encoding)
    {
        var bytes = (long)ProtocolWireCodec.EncodedLength(dimension, encoding) + 4096;
        var window = (int)Math.Clamp(WindowBytes / bytes, 2, 64);
        var timeout = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(2.0 * window * bytes / SlowBytesPerSecond);
        return new OutboxSettings(window, timeout, TimeSpan.FromSeconds(30) + timeout);
    }

    /// <summary>
    /// How long a heartbeat may queue behind a full window of models of <paramref name="dimension"/> each way
    /// on one connection on a starved machine, at least <paramref name="floor"/>: the failure detectors'
    /// acceptable pause (downing is off, so a long pause only delays `status` calling a peer unreachable).
    /// </summary>
    public static TimeSpan HeartbeatPause(int dimension, TimeSpan floor)
    {
        var s = For(dimension, VectorEncoding.Float64);
        var queued = TimeSpan.FromSeconds(2.0 * s.Window * 8.0 * dimension / StarvedBytesPerSecond);
        return queued > floor ? queued : floor;
    }
}

/// <summary>
/// Flow control for Akka.Remote, which has none (a send never blocks: models for a slow or cut-off peer
/// would pile up in Akka's endpoint buffer and DotNetty's outbound buffer without bound). Every
/// inter-process protocol message goes through one outbox per (local actor system, peer system), an actor
/// that
/// <list type="bullet">
/// <item>keeps, per local sender node, only its newest message (with the recipients still owed it): a
/// newer stage supersedes an older one that has not gone out yet, a resend of the same stage merges, a
/// resend of a send still in flight or acknowledged less than the base timeout ago is dropped; the
/// protocol needs nothing else (a laggard is answered with the newest model anyway, and the protocol
/// resends what stays unanswered);</item>
/// <item>sends while fewer than <see cref="OutboxSettings.Window"/> sends are unacknowledged; the peer's
/// inbox acknowledges each message (<see cref="Delivered"/>);</item>
/// <item>counts a send lost after its acknowledgement timeout (blackholed, dropped, peer down: Akka
/// drops, never delivers late) and frees its slot; an acknowledgement arriving after that doubles the
/// timeout (up to <see cref="OutboxSettings.MaxAckTimeout"/>), so a peer that is merely slow is not fed
/// faster than it reads.</item>
/// </list>
/// So a process holds at most one message per local node and peer in its outboxes, and at most a window
/// per peer in Akka's buffers, whatever the peer does.
/// </summary>
public sealed class PeerOutboxes
{
    private readonly OutboxSettings _settings;
    private readonly ConcurrentDictionary<(ActorSystem System, string Peer), Lazy<(IActorRef Actor, Stats Stats)>> _outboxes = new();

    public PeerOutboxes(OutboxSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    public OutboxSettings Settings => _settings;

    /// <summary>
    /// What <paramref name="system"/> holds for node <paramref name="p"/> (global index <paramref name="index"/>)
    /// of the system at <paramref name="peer"/>: a ref whose protocol messages go through the outbox to the peer.
    /// </summary>
    public IActorRef Route(ActorSystem system, Address peer, ProcessId p, int index)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(peer);
        var inbox = RemoteRuntimes.Resolve(system, peer, p);
        var outbox = _outboxes.GetOrAdd((system, peer.ToString()), key => new Lazy<(IActorRef, Stats)>(() =>
        {
            var stats = new Stats(key.Peer, _settings);
            var actor = system.ActorOf(Props.Create(() => new Outbox(_settings, stats)), "outbox-" + Uri.EscapeDataString($"{peer.Host}-{peer.Port}"));
            return (actor, stats);
        })).Value;
        return new OutboxRef(outbox.Actor, inbox, index, ((ExtendedActorSystem)system).Provider);
    }

    /// <summary>Every outbox of <paramref name="system"/>, by peer address.</summary>
    public IReadOnlyList<OutboxCounters> Counters(ActorSystem system) =>
        [.. _outboxes.Where(o => o.Key.System == system && o.Value.IsValueCreated).Select(o => o.Value.Value.Stats.Snapshot()).OrderBy(c => c.Peer, StringComparer.Ordinal)];

    /// <summary>The counters of <paramref name="system"/>'s outbox to the system at <paramref name="peer"/>, or null before its first message.</summary>
    public OutboxCounters? CountersOf(ActorSystem system, Address peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return _outboxes.TryGetValue((system, peer.ToString()), out var o) && o.IsValueCreated ? o.Value.Stats.Snapshot() : null;
    }

    /// <summary>A protocol message for recipient <c>Recipient</c> (global node index), handed to the outbox (inside one system).</summary>
    internal sealed record Outgoing(int Recipient, IActorRef Inbox, ProtocolMessage Message);

    /// <summary>The outbox's timer: count unacknowledged sends past their timeout as lost.</summary>
    internal sealed record Expire
    {
        public static readonly Expire Instance = new();
    }

    /// <summary>Looks like the peer's inbox; protocol messages take the outbox, anything else goes straight.</summary>
    private sealed class OutboxRef(IActorRef outbox, IActorRef inbox, int recipient, IActorRefProvider provider) : MinimalActorRef
    {
        public override ActorPath Path => inbox.Path;

        public override IActorRefProvider Provider => provider;

        protected override void TellInternal(object message, IActorRef sender)
        {
            if (message is ProtocolMessage m)
            {
                outbox.Tell(new Outgoing(recipient, inbox, m), ActorRefs.NoSender);
            }
            else
            {
                inbox.Tell(message, sender);
            }
        }
    }

    /// <summary>Counters the outbox actor writes and `status` reads.</summary>
    private sealed class Stats(string peer, OutboxSettings settings)
    {
        public int PendingMessages;
        public int PendingSends;
        public int InFlight;
        public long Sent;
        public long Acknowledged;
        public long Superseded;
        public long Duplicates;
        public long TimedOut;
        public long Late;
        public long AckTimeoutTicks = settings.AckTimeout.Ticks;

        public OutboxCounters Snapshot() => new(
            peer, Volatile.Read(ref PendingMessages), Volatile.Read(ref PendingSends), Volatile.Read(ref InFlight), settings.Window,
            Interlocked.Read(ref Sent), Interlocked.Read(ref Acknowledged), Interlocked.Read(ref Superseded), Interlocked.Read(ref Duplicates), Interlocked.Read(ref TimedOut),
            Interlocked.Read(ref Late), TimeSpan.FromTicks(Interlocked.Read(ref AckTimeoutTicks)).TotalMilliseconds);
    }

    private sealed class Pending(ProtocolMessage message)
    {
        public ProtocolMessage Message { get; set; } = message;

        public List<(int Index, IActorRef Inbox)> Recipients { get; } = [];
    }

    private readonly record struct InFlight(int Sender, int Recipient, Stage Stage, long SentAt);

    private sealed class Outbox : ReceiveActor, IWithTimers
    {
        private readonly OutboxSettings _settings;
        private readonly Stats _stats;
        private readonly Dictionary<int, Pending> _pending = [];
        private readonly LinkedList<int> _order = new();
        private readonly List<InFlight> _inFlight = [];
        private readonly Dictionary<(int Sender, int Recipient), (Stage Stage, long At)> _delivered = [];
        private TimeSpan _ackTimeout;

        public Outbox(OutboxSettings settings, Stats stats)
        {
            _settings = settings;
            _stats = stats;
            _ackTimeout = settings.AckTimeout;
            Receive<Outgoing>(o => Then(() => Enqueue(o)));
            Receive<Delivered>(d => Then(() => Acknowledge(d)));
            Receive<Expire>(_ => Then(ExpireLost));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, _settings.AckTimeout.Ticks / 8));
            Timers.StartPeriodicTimer("expire", Expire.Instance, tick);
        }

        private void Then(Action handle)
        {
            handle();
            Pump();
            Publish();
        }

        private void Enqueue(Outgoing o)
        {
            var m = o.Message;
            if (_inFlight.Exists(f => f.Sender == m.Sender && f.Recipient == o.Recipient && f.Stage == m.Stage)
                || (_delivered.TryGetValue((m.Sender, o.Recipient), out var done) && done.Stage == m.Stage
                    && Stopwatch.GetElapsedTime(done.At) < _settings.AckTimeout))
            {
                // A resend of what is still on its way, or was delivered a moment ago: one copy is enough.
                // (After the base timeout a resend goes out again: the recipient may have restarted.)
                Interlocked.Increment(ref _stats.Duplicates);
                return;
            }

            if (!_pending.TryGetValue(m.Sender, out var entry))
            {
                entry = new Pending(m);
                _pending[m.Sender] = entry;
                _order.AddLast(m.Sender);
            }
            else if (entry.Message.Stage != m.Stage)
            {
                // The older message has not gone out to everybody yet: the newer one replaces it, for the
                // recipients it still owed too (newer is what the protocol answers a laggard with anyway).
                Interlocked.Increment(ref _stats.Superseded);
                entry.Message = m;
            }
            else
            {
                entry.Message = m;
            }

            if (!entry.Recipients.Exists(r => r.Index == o.Recipient))
            {
                entry.Recipients.Add((o.Recipient, o.Inbox));
            }
        }

        private void Pump()
        {
            while (_inFlight.Count < _settings.Window && _order.First is { } first)
            {
                var sender = first.Value;
                var entry = _pending[sender];
                var recipient = entry.Recipients[0];
                entry.Recipients.RemoveAt(0);
                recipient.Inbox.Tell(entry.Message, Self);
                _inFlight.Add(new InFlight(sender, recipient.Index, entry.Message.Stage, Stopwatch.GetTimestamp()));
                Interlocked.Increment(ref _stats.Sent);
                if (entry.Recipients.Count == 0)
                {
                    _pending.Remove(sender);
                    _order.RemoveFirst();
                }
            }
        }

        private void Acknowledge(Delivered d)
        {
            var i = _inFlight.FindIndex(f => f.Sender == d.Sender && f.Recipient == d.Recipient && f.Stage == d.Stage);
            if (i >= 0)
            {
                // Only pairs this outbox sent to are remembered: a peer cannot grow the table.
                _inFlight.RemoveAt(i);
                _delivered[(d.Sender, d.Recipient)] = (d.Stage, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref _stats.Acknowledged);

                // On time: drift back towards the base timeout.
                _ackTimeout = Max(_settings.AckTimeout, _ackTimeout * 0.9);
            }
            else
            {
                // Its slot was freed as lost, but it was only slow: wait longer before giving up next time.
                Interlocked.Increment(ref _stats.Late);
                _ackTimeout = Min(_settings.MaxAckTimeout, _ackTimeout * 2);
            }
        }

        private void ExpireLost()
        {
            var now = Stopwatch.GetTimestamp();
            var expired = _inFlight.RemoveAll(f => Stopwatch.GetElapsedTime(f.SentAt, now) > _ackTimeout);
            if (expired > 0)
            {
                Interlocked.Add(ref _stats.TimedOut, expired);
            }
        }

        private void Publish()
        {
            Volatile.Write(ref _stats.PendingMessages, _pending.Count);
            Volatile.Write(ref _stats.PendingSends, _pending.Values.Sum(p => p.Recipients.Count));
            Volatile.Write(ref _stats.InFlight, _inFlight.Count);
            Interlocked.Exchange(ref _stats.AckTimeoutTicks, _ackTimeout.Ticks);
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
