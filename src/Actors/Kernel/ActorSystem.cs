using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>
/// A hierarchy of actors with one address (one per cluster in Decentral). Create one on the thread
/// pool with <see cref="Create"/>, or under virtual time with <see cref="Simulation.CreateSystem"/>.
/// Paths look like <c>dct://c1/user/node-1</c>; refs to other systems come from <see cref="ResolveRef(string)"/>.
/// </summary>
public sealed partial class ActorSystem
{
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RateLimitedLog _deadLetterLog;
    private readonly RateLimitedLog _unhandledLog;
    private long _deadLetters;
    private long _unhandled;
    private long _dropped;
    private long _crashDropped;
    private volatile bool _crashed;
    private volatile bool _terminating;

    internal ActorSystem(string name, ActorSystemSettings settings, IDispatcher dispatcher, Simulation? simulation)
    {
        ActorPath.ValidateName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Address is not null && settings.Address.System != name)
        {
            throw new ArgumentException($"The address {settings.Address} names system '{settings.Address.System}', not '{name}'.", nameof(settings));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.DeadLetterLogInterval, TimeSpan.Zero, nameof(settings));
        Name = name;
        Settings = settings;
        Dispatcher = dispatcher;
        Simulation = simulation;
        Address = settings.Address ?? new Address(name);
        LoggerFactory = settings.LoggerFactory;
        Log = LoggerFactory.CreateLogger($"Decentral.Actors.ActorSystem.{name}");
        _deadLetterLog = new RateLimitedLog(Time, settings.DeadLetterLogInterval);
        _unhandledLog = new RateLimitedLog(Time, settings.DeadLetterLogInterval);
        DeadLetters = new DeadLetterActorRef(this);
        Transport = settings.Transport;

        var guardianProps = Props.Create(static () => new GuardianActor());
        _root = new ActorCell(this, null, guardianProps, new ActorPath(Address, []), null, isGuardian: true);
        _root.PostSystem(CreateMsg.Instance);
        _userGuardian = _root.CreateChild(guardianProps, "user", null, isGuardian: true);
        _systemGuardian = _root.CreateChild(guardianProps, "system", null, isGuardian: true);
        Transport?.Bind(Address, ReceiveInbound);
    }

    /// <summary>A system on the thread-pool dispatcher with real time.</summary>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        settings ??= ActorSystemSettings.Default;
        var dispatcher = settings.Throughput == ThreadPoolDispatcher.DefaultThroughput && settings.Time is null
            ? ThreadPoolDispatcher.Default
            : new ThreadPoolDispatcher(settings.Time ?? TimeProvider.System, settings.Throughput);
        return new ActorSystem(name, settings, dispatcher, null);
    }

    public string Name { get; }

    public Address Address { get; }

    public ActorSystemSettings Settings { get; }

    public IDispatcher Dispatcher { get; }

    /// <summary>The simulation hosting this system, or null on the thread pool.</summary>
    public Simulation? Simulation { get; }

    /// <summary>Real time on the thread pool, virtual time under the simulation.</summary>
    public TimeProvider Time => Dispatcher.Time;

    public ILoggerFactory LoggerFactory { get; }

    public ITransport? Transport { get; }

    public IActorRef DeadLetters { get; }

    public EventStream EventStream { get; } = new();

    internal ILogger Log { get; }

    public long DeadLetterCount => Interlocked.Read(ref _deadLetters);

    public long UnhandledCount => Interlocked.Read(ref _unhandled);

    /// <summary>Messages discarded by DropNewest/DropOldest mailboxes.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Messages lost to crashes: queued in a crashed actor or sent to a crashed system.</summary>
    public long CrashDroppedCount => Interlocked.Read(ref _crashDropped);

    public bool IsCrashed => _crashed;

    public bool IsTerminated => _terminated.Task.IsCompleted;

    public Task WhenTerminated => _terminated.Task;

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        EnsureRunning();
        return _userGuardian.CreateChild(props, name, null, isGuardian: false).Self;
    }

    /// <summary>Creates an infrastructure actor under <c>/system</c> (test probes live there).</summary>
    public IActorRef SystemActorOf(Props props, string? name = null)
    {
        EnsureRunning();
        return _systemGuardian.CreateChild(props, name, null, isGuardian: false).Self;
    }

    public IActorRef ResolveRef(string path) => ResolveRef(ActorPath.Parse(path));

    /// <summary>
    /// A ref for <paramref name="path"/>: the live local actor, a remote ref sending through the transport,
    /// or (local path with no actor) a ref whose messages become dead letters.
    /// </summary>
    public IActorRef ResolveRef(ActorPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Address != Address)
        {
            return new RemoteActorRef(this, path);
        }

        if (path == DeadLetters.Path)
        {
            return DeadLetters;
        }

        var cell = ResolveCell(path);
        return cell is null ? new EmptyActorRef(this, path) : cell.Self;
    }

    /// <summary>Stops <paramref name="actor"/> (children first, then PostStop); watchers get Terminated.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Unwrap() is LocalActorRef local)
        {
            local.Cell.PostSystem(TerminateMsg.Instance);
        }
    }

    /// <summary>Stops every actor, then unbinds from the transport.</summary>
    public Task Terminate()
    {
        if (!_terminating)
        {
            _terminating = true;
            _root.PostSystem(TerminateMsg.Instance);
        }

        return _terminated.Task;
    }

    internal ActorCell? ResolveCell(ActorPath path)
    {
        var cell = _root;
        foreach (var element in path.Elements)
        {
            cell = cell.TryGetChild(element);
            if (cell is null)
            {
                return null;
            }
        }

        return cell.IsCrashed || cell.IsTerminated ? null : cell;
    }

    internal void OnCellTerminated(ActorCell cell)
    {
        if (ReferenceEquals(cell, _root))
        {
            Transport?.Unbind(Address);
            _terminated.TrySetResult();
        }
    }

    private void EnsureRunning()
    {
        if (_terminating)
        {
            throw new InvalidOperationException($"Actor system {Name} is terminating.");
        }
    }

    /// <summary>Sends to a path of another system through the transport (or locally if it is ours).</summary>
    internal void SendRemote(ActorPath recipient, object message, IActorRef? sender)
    {
        if (_crashed)
        {
            CountCrashDrop();
            return;
        }

        if (recipient.Address == Address)
        {
            Deliver(recipient, message, sender);
            return;
        }

        if (Transport is null)
        {
            PublishDeadLetter(message, sender, recipient, "no transport to other systems");
            return;
        }

        Transport.Send(new TransportEnvelope(Address, recipient, sender?.Path, message));
    }

    private void ReceiveInbound(TransportEnvelope envelope)
    {
        if (_crashed)
        {
            CountCrashDrop();
            return;
        }

        switch (envelope.Message)
        {
            case RemoteWatch watch:
                OnRemoteWatch(watch);
                return;
            case RemoteDeathNotification death:
                ResolveCell(envelope.Recipient)?.PostSystem(new DeathWatchNotificationMsg(new RemoteActorRef(this, death.Subject)));
                return;
        }

        var sender = envelope.Sender is null ? null : ResolveRef(envelope.Sender);
        Deliver(envelope.Recipient, envelope.Message, sender);
    }

    private void OnRemoteWatch(RemoteWatch watch)
    {
        var watcher = new RemoteActorRef(this, watch.Watcher);
        var cell = ResolveCell(watch.Watchee);
        if (cell is null)
        {
            if (watch.Watch)
            {
                SendRemote(watch.Watcher, new RemoteDeathNotification(watch.Watchee), null);
            }

            return;
        }

        cell.PostSystem(watch.Watch ? new WatchMsg(watcher) : new UnwatchMsg(watcher));
    }

    private void Deliver(ActorPath recipient, object message, IActorRef? sender)
    {
        var cell = ResolveCell(recipient);
        if (cell is null)
        {
            PublishDeadLetter(message, sender, recipient, "no actor at this path");
            return;
        }

        cell.Post(message, sender);
    }

    internal void PublishDeadLetter(object message, IActorRef? sender, ActorPath recipient, string reason)
    {
        var count = Interlocked.Increment(ref _deadLetters);
        if (_deadLetterLog.ShouldLog(out var suppressed))
        {
            Log.LogInformation(
                "Dead letter #{Count} ({Suppressed} more since the last report): {MessageType} to {Recipient} ({Reason})",
                count, suppressed, message.GetType().Name, recipient, reason);
        }

        EventStream.Publish(new DeadLetter(message, sender, recipient, reason));
    }

    internal void PublishUnhandled(object message, IActorRef? sender, IActorRef recipient)
    {
        Interlocked.Increment(ref _unhandled);
        if (_unhandledLog.ShouldLog(out var suppressed))
        {
            Log.LogWarning(
                "Unhandled message {MessageType} in {Recipient} ({Suppressed} more since the last report)",
                message.GetType().Name, recipient.Path, suppressed);
        }

        EventStream.Publish(new UnhandledMessage(message, sender, recipient));
    }

    internal void CountOverflowDrop(Envelope dropped, ActorPath recipient)
    {
        Interlocked.Increment(ref _dropped);
        Log.LogDebug("Mailbox of {Recipient} full: dropped {MessageType}", recipient, dropped.Message.GetType().Name);
    }

    internal void CountCrashDrop() => Interlocked.Increment(ref _crashDropped);

    public override string ToString() => $"ActorSystem({Address})";

    private sealed class GuardianActor : ActorBase
    {
        protected internal override bool Receive(object message) => false;
    }
}

/// <summary>Lets one log line through per interval and counts the rest.</summary>
internal sealed class RateLimitedLog(TimeProvider time, TimeSpan interval)
{
    private readonly object _gate = new();
    private long _last = long.MinValue;
    private long _suppressed;

    public bool ShouldLog(out long suppressed)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_last != long.MinValue && time.GetElapsedTime(_last, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _last = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
