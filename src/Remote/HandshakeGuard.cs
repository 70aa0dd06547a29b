using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using Akka.Remote.Transport;
using Decentral.Nodes.Runtime;
using Google.Protobuf;

namespace Decentral.Remote;

/// <summary>
/// Bounds the incoming connections that have not finished their handshake yet. Akka.Remote's DotNetty
/// transport hands an incoming TCP connection up as an association the moment it is accepted, before
/// its TLS handshake, and then waits for it as long as the peer likes: 500 idle connections to a node's
/// port stayed open for minutes (a local way to run a process out of file descriptors). This adapter sits
/// directly above DotNetty (<c>applied-adapters = [trttl, gremlin, decentral-handshake-guard]</c>, the
/// scheme unchanged) and
/// <list type="bullet">
/// <item>closes an incoming connection on which no Akka.Remote payload arrived within
/// <see cref="Timeout"/> (the first payload is the peer's association request, which only follows a
/// completed TLS handshake), counted in <see cref="TimedOut"/>;</item>
/// <item>closes a new incoming connection at once while <see cref="MaxPending"/> others are still in their
/// handshake, counted in <see cref="OverCap"/> (peers already associated are not affected; a peer that
/// must reconnect during a flood retries after `reconnect-delay`).</item>
/// </list>
/// Both are logged at most once a minute. Outgoing connections are bounded by Akka's own connect-timeout.
/// </summary>
public sealed class HandshakeGuard : Transport, IDisposable
{
    /// <summary>The adapter's name in <c>akka.remote.adapters</c>.</summary>
    public const string AdapterName = "decentral-handshake-guard";

    /// <summary>The Akka configuration section of its settings.</summary>
    public const string Section = "decentral-handshake-guard";

    private static readonly ConditionalWeakTable<ActorSystem, HandshakeGuard> Guards = new();

    private readonly Transport _wrapped;
    private readonly ILoggingAdapter _log;
    private readonly ConcurrentDictionary<GuardedHandle, long> _pending = new();
    private readonly Timer _timer;
    private long _timedOut;
    private long _overCap;
    private long _lastLogged = long.MinValue;
    private long _unlogged;

    public HandshakeGuard(Transport wrapped, ActorSystem system, TimeSpan timeout, int maxPending)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        _wrapped = wrapped;
        System = system;
        Config = wrapped.Config;
        Timeout = timeout;
        MaxPending = maxPending;
        _log = Logging.GetLogger(system, typeof(HandshakeGuard));
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
        _timer = new Timer(_ => Expire(), null, tick, tick);
        Guards.AddOrUpdate(system, this);
    }

    /// <summary>The guard of <paramref name="system"/>'s transport, or null when it runs without one.</summary>
    public static HandshakeGuard? Of(ActorSystem system) => Guards.TryGetValue(system, out var guard) ? guard : null;

    /// <summary>How long an incoming connection may take to deliver its first Akka.Remote payload.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How many incoming connections may be in their handshake at once.</summary>
    public int MaxPending { get; }

    /// <summary>Incoming connections closed because their handshake took longer than <see cref="Timeout"/>.</summary>
    public long TimedOut => Interlocked.Read(ref _timedOut);

    /// <summary>Incoming connections closed at once because <see cref="MaxPending"/> others were in their handshake.</summary>
    public long OverCap => Interlocked.Read(ref _overCap);

    /// <summary>Incoming connections in their handshake now.</summary>
    public int Pending => _pending.Count;

    public override string SchemeIdentifier
    {
        get => _wrapped.SchemeIdentifier;
        protected set => throw new NotSupportedException("The guard keeps the scheme of the transport it wraps.");
    }

    public override long MaximumPayloadBytes
    {
        get => _wrapped.MaximumPayloadBytes;
        protected set => throw new NotSupportedException("The guard keeps the frame size of the transport it wraps.");
    }

    /// <summary>
    /// The Akka settings that put the guard above DotNetty, after the fault adapters (the embedded
    /// <c>akka-handshake-guard.conf</c>), with this deployment's timeout and cap.
    /// </summary>
    public static AkkaSettings Settings(TimeSpan timeout, int maxPending) =>
        AkkaSettings.Empty.WithResource(typeof(HandshakeGuard).Assembly, "akka-handshake-guard.conf")
            .Set(Section + ".timeout", timeout)
            .Set(Section + ".max-pending", maxPending);

    public override bool IsResponsibleFor(Address remote) => _wrapped.IsResponsibleFor(remote);

    public override Task<AssociationHandle> Associate(Address remoteAddress) => _wrapped.Associate(remoteAddress);

    public override Task<bool> ManagementCommand(object message) => _wrapped.ManagementCommand(message);

    public override async Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen()
    {
        var (address, below) = await _wrapped.Listen().ConfigureAwait(false);
        var above = new TaskCompletionSource<IAssociationEventListener>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = above.Task.ContinueWith(
            t => below.TrySetResult(new Listener(this, t.Result)),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return (address, above);
    }

    public override Task<bool> Shutdown()
    {
        Dispose();
        return _wrapped.Shutdown();
    }

    public void Dispose() => _timer.Dispose();

    private void Admit(AssociationHandle handle, IAssociationEventListener above)
    {
        if (_pending.Count >= MaxPending)
        {
            Interlocked.Increment(ref _overCap);
            Note($"{MaxPending} incoming connections are already in their handshake", handle.RemoteAddress);
            handle.Disassociate("too many pending handshakes", _log);
            return;
        }

        var guarded = new GuardedHandle(handle, this);
        _pending[guarded] = Stopwatch.GetTimestamp();
        above.Notify(new InboundAssociation(guarded));
    }

    private void Done(GuardedHandle handle) => _pending.TryRemove(handle, out _);

    private void Expire()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (handle, since) in _pending)
        {
            if (Stopwatch.GetElapsedTime(since, now) > Timeout && _pending.TryRemove(handle, out _))
            {
                Interlocked.Increment(ref _timedOut);
                Note($"its handshake did not complete within {Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms", handle.RemoteAddress);
                handle.Inner.Disassociate("handshake timeout", _log);
            }
        }
    }

    /// <summary>Logs a closed connection: the first, then at most once a minute with the number since.</summary>
    private void Note(string why, Address? peer)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogged);
        if (last != long.MinValue && Stopwatch.GetElapsedTime(last, now) < TlsGuard.LogInterval)
        {
            Interlocked.Increment(ref _unlogged);
            return;
        }

        if (Interlocked.CompareExchange(ref _lastLogged, now, last) != last)
        {
            Interlocked.Increment(ref _unlogged);
            return;
        }

        var since = Interlocked.Exchange(ref _unlogged, 0);
        _log.Warning(
            "Closed an incoming connection from {0}: {1} ({2} more closed since the last such line; {3} timed out, {4} over the cap in all; logged at most once a minute)",
            peer?.ToString() ?? "unknown", why, since, TimedOut, OverCap);
    }

    /// <summary>Hands each incoming association up through the guard.</summary>
    private sealed class Listener(HandshakeGuard guard, IAssociationEventListener above) : IAssociationEventListener
    {
        public void Notify(IAssociationEvent ev)
        {
            if (ev is InboundAssociation inbound)
            {
                guard.Admit(inbound.Association, above);
            }
            else
            {
                above.Notify(ev);
            }
        }
    }

    /// <summary>An incoming association as the layers above see it: the one below, watched until its first payload.</summary>
    private sealed class GuardedHandle : AssociationHandle
    {
        private readonly HandshakeGuard _guard;

        public GuardedHandle(AssociationHandle inner, HandshakeGuard guard)
            : base(inner.LocalAddress, inner.RemoteAddress)
        {
            Inner = inner;
            _guard = guard;
            _ = ReadHandlerSource.Task.ContinueWith(
                t => Inner.ReadHandlerSource.TrySetResult(new Watcher(this, t.Result)),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public AssociationHandle Inner { get; }

        public override bool Write(ByteString payload) => Inner.Write(payload);

        [Obsolete("Akka's own signature; the guard passes the call on with a reason.")]
        public override void Disassociate() => Inner.Disassociate("closed above the handshake guard", _guard._log);

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);

        /// <summary>The first payload ends the handshake; a disassociation ends the watch.</summary>
        private sealed class Watcher(GuardedHandle handle, IHandleEventListener above) : IHandleEventListener
        {
            public void Notify(IHandleEvent ev)
            {
                if (ev is InboundPayload or Disassociated)
                {
                    handle._guard.Done(handle);
                }

                above.Notify(ev);
            }
        }
    }
}

/// <summary>Akka's entry point for <see cref="HandshakeGuard"/> (named in <c>akka.remote.adapters</c>).</summary>
public sealed class HandshakeGuardProvider : ITransportAdapterProvider
{
    public Transport Create(Transport wrappedTransport, ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var config = system.Settings.Config;
        var timeout = config.HasPath(HandshakeGuard.Section + ".timeout") ? config.GetTimeSpan(HandshakeGuard.Section + ".timeout") : TimeSpan.FromSeconds(10);
        var maxPending = config.HasPath(HandshakeGuard.Section + ".max-pending") ? config.GetInt(HandshakeGuard.Section + ".max-pending") : 64;
        return new HandshakeGuard(wrappedTransport, system, timeout, maxPending);
    }
}
