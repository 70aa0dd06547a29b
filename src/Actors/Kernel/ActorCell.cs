using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>
/// The kernel side of one actor: mailbox, system-message queue, instance, children and watchers.
/// Everything below runs on whichever thread the dispatcher gives, but never on two at once: the
/// <c>_scheduled</c> flag admits one run at a time, which is what makes actor state single-threaded.
/// </summary>
internal sealed partial class ActorCell : IActorContext, IDispatchable, IThreadPoolWorkItem
{
    [ThreadStatic]
    private static ActorCell? t_current;

    private readonly ActorSystem _system;
    private readonly ActorCell? _parent;
    private readonly IDispatcher _dispatcher;
    private readonly Mailbox _mailbox;
    private readonly ConcurrentQueue<SystemMessage> _systemQueue = new();
    private readonly Simulation? _simulation;
    private readonly LocalActorRef _self;
    private int _scheduled;

    private ActorBase? _actor;
    private Func<object, bool>? _becomeReceive;
    private Envelope? _current;
    private object? _failedMessage;
    private Queue<Envelope>? _unstashed;
    private TimerScheduler? _timers;
    private StashImpl? _stash;
    private ILogger? _log;

    // Life-cycle flags. _crashed and _terminated are read by senders on other threads.
    private volatile bool _crashed;
    private volatile bool _terminated;
    private bool _crashCleaned;
    private bool _terminating;
    private bool _suspended;
    private Exception? _recreateCause;

    public ActorCell(ActorSystem system, ActorCell? parent, Props props, ActorPath path, LocalActorRef? reuse, bool isGuardian)
    {
        _system = system;
        _parent = parent;
        Props = props;
        Path = path;
        IsGuardian = isGuardian;
        _dispatcher = system.Dispatcher;
        _simulation = system.Simulation;
        _mailbox = new Mailbox(props.Mailbox ?? system.Settings.Mailbox);
        if (reuse is null)
        {
            _self = new LocalActorRef(this);
        }
        else
        {
            _self = reuse;
            reuse.Rebind(this);
        }
    }

    /// <summary>The cell whose actor is running on this thread, if any.</summary>
    internal static ActorCell? Current => t_current;

    public ActorPath Path { get; }

    public Props Props { get; }

    public bool IsGuardian { get; }

    internal ChildRestartStats RestartStats { get; } = new();

    internal ActorCell? ParentCell => _parent;

    internal bool IsCrashed => _crashed;

    internal bool IsTerminated => _terminated;

    internal Envelope? CurrentEnvelope => _current;

    internal IActorRef? CurrentSender => _current?.Sender;

    internal int MailboxCount => _mailbox.Count;

    public IActorRef Self => _self;

    public IActorRef Sender => _current?.Sender ?? _system.DeadLetters;

    public IActorRef Parent => (IActorRef?)_parent?.Self ?? _system.DeadLetters;

    public ActorSystem System => _system;

    public ILogger Log => _log ??= _system.LoggerFactory.CreateLogger(Props.ActorType.FullName ?? Props.ActorType.Name);

    internal ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    internal IStash Stash => _stash ??= new StashImpl(this, (Props.Mailbox ?? _system.Settings.Mailbox).Capacity);

    private bool CanProcessUser => _actor is not null && !_suspended && !_terminating && !_terminated && !_crashed && _recreateCause is null;

    /// <summary>A user message from anywhere. Never throws for delivery problems.</summary>
    public void Post(object message, IActorRef? sender)
    {
        if (_system.IsCrashed)
        {
            _system.CountCrashDrop();
            return;
        }

        if (_crashed || _terminated)
        {
            _system.PublishDeadLetter(message, sender, Path, _crashed ? "recipient crashed" : "recipient stopped");
            return;
        }

        var envelope = new Envelope(message, sender);
        switch (_mailbox.TryEnqueue(envelope, out var dropped))
        {
            case EnqueueResult.Enqueued:
                break;
            case EnqueueResult.DroppedNewest:
                _system.CountOverflowDrop(dropped, Path);
                return;
            case EnqueueResult.DroppedOldest:
                _system.CountOverflowDrop(dropped, Path);
                break;
            default:
                _system.PublishDeadLetter(message, sender, Path, "mailbox full");
                return;
        }

        TrySchedule();
    }

    internal void PostTimer(TimerMessage message) => Post(message, null);

    public void PostSystem(SystemMessage message)
    {
        _systemQueue.Enqueue(message);
        TrySchedule();
    }

    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _dispatcher.Schedule(this);
        }
    }

    void IThreadPoolWorkItem.Execute() => Run();

    public void Run()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            ProcessSystemMessages();
            var budget = _dispatcher.Throughput;
            while (budget-- > 0)
            {
                if (!_systemQueue.IsEmpty)
                {
                    ProcessSystemMessages();
                }

                if (_crashed || _terminated)
                {
                    DisposeOfMailbox();
                    break;
                }

                if (!CanProcessUser || !TryDequeueUser(out var envelope))
                {
                    break;
                }

                _simulation?.RecordDelivery(this, envelope);
                Invoke(envelope);
            }
        }
        finally
        {
            t_current = previous;
        }

        // A full fence (not a plain release write): the queue checks below must not move above it, or a
        // producer whose TrySchedule lost the race against this run could be left unscheduled.
        Interlocked.Exchange(ref _scheduled, 0);
        if (HasWork())
        {
            TrySchedule();
        }
    }

    private bool HasWork()
    {
        if (!_systemQueue.IsEmpty)
        {
            return true;
        }

        if (_crashed || _terminated)
        {
            return _mailbox.Count > 0;
        }

        return CanProcessUser && (_mailbox.Count > 0 || _unstashed is { Count: > 0 });
    }

    private bool TryDequeueUser(out Envelope envelope)
    {
        if (_unstashed is { Count: > 0 })
        {
            envelope = _unstashed.Dequeue();
            return true;
        }

        return _mailbox.TryDequeue(out envelope);
    }

    private void Invoke(Envelope envelope)
    {
        Debug.Assert(_actor is not null, "Invoke needs an instance.");
        _current = envelope;
        try
        {
            var message = envelope.Message;
            switch (message)
            {
                case TimerMessage tick:
                    if (_timers is null || !_timers.Accept(tick))
                    {
                        return;
                    }

                    message = tick.Message;
                    break;
                case PoisonPill:
                    BeginTerminate();
                    return;
                case Kill:
                    throw new ActorKilledException($"{Path} received Kill.");
            }

            var handled = _becomeReceive is not null ? _becomeReceive(message) : _actor.Receive(message);
            if (!handled)
            {
                _actor.InvokeUnhandled(message);
            }
        }
        catch (Exception ex)
        {
            HandleFailure(ex, envelope.Message);
        }
        finally
        {
            _current = null;
        }
    }

    internal void PublishUnhandled(object message) => _system.PublishUnhandled(message, _current?.Sender, Self);

    /// <summary>Unstash: the given messages go in front of everything still queued, in their order.</summary>
    internal void Prepend(List<Envelope> envelopes)
    {
        var queue = new Queue<Envelope>(envelopes);
        if (_unstashed is not null)
        {
            while (_unstashed.Count > 0)
            {
                queue.Enqueue(_unstashed.Dequeue());
            }
        }

        _unstashed = queue;
    }

    /// <summary>After stop: remaining messages become dead letters. After a crash: they are lost.</summary>
    private void DisposeOfMailbox()
    {
        var crashed = _crashed;
        var pending = new List<Envelope>();
        if (_stash is not null)
        {
            pending.AddRange(_stash.Drain());
        }

        while (_unstashed is { Count: > 0 })
        {
            pending.Add(_unstashed.Dequeue());
        }

        while (_mailbox.TryDequeue(out var envelope))
        {
            pending.Add(envelope);
        }

        foreach (var envelope in pending)
        {
            if (envelope.Message is TimerMessage or Terminated)
            {
                continue;
            }

            if (crashed)
            {
                _system.CountCrashDrop();
            }
            else
            {
                _system.PublishDeadLetter(envelope.Message, envelope.Sender, Path, "recipient stopped");
            }
        }
    }

    public override string ToString() => Path.ToString();
}
