using Microsoft.Extensions.Logging.Abstractions;

namespace Decentral.Actors;

/// <summary>
/// Deterministic simulation: several actor systems (one per cluster) in one single-threaded event
/// loop with virtual time. Events are mailbox runs, timer firings and network deliveries; the next
/// event is the earliest in virtual time, ties broken by a generator seeded from <see cref="Seed"/>,
/// so one seed fixes the whole interleaving. Not thread-safe: drive it from one thread, and never
/// block or use real time in actor code under it.
/// </summary>
public sealed partial class Simulation
{
    /// <summary>Default bound on events per run call.</summary>
    public const int DefaultMaxEvents = 10_000_000;

    private readonly PriorityQueue<Entry, Key> _queue = new(KeyComparer.Instance);
    private readonly SeededRandom _tieBreaker;
    private readonly List<ActorSystem> _systems = [];
    private readonly Dictionary<Type, ulong> _typeHashes = [];
    private long _nowTicks;
    private long _sequence;
    private ActorCell? _runningCell;
    private Envelope? _delivered;

    public Simulation(long seed, SimulationSettings? settings = null)
    {
        Seed = seed;
        Settings = settings ?? SimulationSettings.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Settings.NetworkLatency, TimeSpan.Zero, nameof(settings));
        Random = new SeededRandom(seed);
        _tieBreaker = Random.Fork("tie-breaks");
        Time = new VirtualTimeProvider(this);
        Dispatcher = new SimulationDispatcher(this);
        Transport = new InMemoryTransport(Time, Settings.NetworkLatency);
        Network = new FailureInjectorTransport(Transport, Time, Random.Fork("faults").Seed);
        FaultTargets = new ActorSystemFaultTargets(Network, GetSystemOrNull);
    }

    public long Seed { get; }

    public SimulationSettings Settings { get; }

    /// <summary>The root generator; use <see cref="SeededRandom.Fork"/> for each purpose.</summary>
    public SeededRandom Random { get; }

    public VirtualTimeProvider Time { get; }

    public IDispatcher Dispatcher { get; }

    /// <summary>The in-memory network under the fault layer.</summary>
    public InMemoryTransport Transport { get; }

    /// <summary>The fault layer every system of this simulation sends through.</summary>
    public FailureInjectorTransport Network { get; }

    /// <summary>Crash/restart/link faults by name ("c1", "c1/n1"), for the TestKit's Faults.</summary>
    public IFaultTargets FaultTargets { get; }

    /// <summary>Virtual time elapsed since the start.</summary>
    public TimeSpan Now => new(_nowTicks);

    internal long NowTicks => _nowTicks;

    /// <summary>Events executed so far.</summary>
    public long EventCount { get; private set; }

    /// <summary>A running hash over every executed event (time, kind, recipient, sender, message type).</summary>
    public ulong TraceHash { get; private set; } = Fnv.Offset;

    /// <summary>Called after every executed event.</summary>
    public Action<SimulationEvent>? Trace { get; set; }

    /// <summary>Events queued (including timers that were since cancelled).</summary>
    public int PendingEvents => _queue.Count;

    /// <summary>Set by the TestKit: how to replay this run; quoted in failure messages.</summary>
    public string? ReplayHint { get; set; }

    public IReadOnlyList<ActorSystem> Systems => _systems;

    /// <summary>Creates a system hosted by this simulation, sending through <see cref="Network"/>.</summary>
    public ActorSystem CreateSystem(string name, ActorSystemSettings? settings = null)
    {
        ActorPath.ValidateName(name, nameof(name));
        if (GetSystemOrNull(name) is not null)
        {
            throw new ArgumentException($"The simulation already has a system named '{name}'.", nameof(name));
        }

        settings ??= ActorSystemSettings.Default;
        if (settings.LoggerFactory is NullLoggerFactory && Settings.LoggerFactory is not null)
        {
            settings = settings with { LoggerFactory = Settings.LoggerFactory };
        }

        var system = new ActorSystem(name, settings with { Transport = Network }, Dispatcher, this);
        _systems.Add(system);
        return system;
    }

    public ActorSystem GetSystem(string name) =>
        GetSystemOrNull(name) ?? throw new ArgumentException($"The simulation has no system named '{name}'.", nameof(name));

    private ActorSystem? GetSystemOrNull(string name) => _systems.Find(s => s.Name == name);

    /// <summary>Runs events until none is left. Throws when more than <paramref name="maxEvents"/> would be needed.</summary>
    public int RunUntilIdle(int maxEvents = DefaultMaxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var count = 0;
        while (TryRunNext(long.MaxValue))
        {
            if (++count >= maxEvents && HasRunnable(long.MaxValue))
            {
                throw Limit($"RunUntilIdle did not become idle within {maxEvents} events (a periodic timer keeps it busy? use RunUntil or Advance)");
            }
        }

        return count;
    }

    /// <summary>
    /// Runs events until <paramref name="condition"/> holds (checked before and after every event) or
    /// <paramref name="maxVirtualTime"/> passes. On a timeout the clock stands at the deadline.
    /// </summary>
    public bool RunUntil(Func<bool> condition, TimeSpan maxVirtualTime, int maxEvents = DefaultMaxEvents)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVirtualTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var deadline = DeadlineAfter(maxVirtualTime);
        if (condition())
        {
            return true;
        }

        var count = 0;
        while (TryRunNext(deadline))
        {
            if (condition())
            {
                return true;
            }

            if (++count >= maxEvents)
            {
                throw Limit($"RunUntil: condition not met within {maxEvents} events");
            }
        }

        _nowTicks = Math.Max(_nowTicks, deadline);
        return false;
    }

    /// <summary>Runs every event due within <paramref name="duration"/>, then sets the clock to exactly now + duration.</summary>
    public void Advance(TimeSpan duration, int maxEvents = DefaultMaxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var deadline = DeadlineAfter(duration);
        var count = 0;
        while (TryRunNext(deadline))
        {
            if (++count >= maxEvents && HasRunnable(deadline))
            {
                throw Limit($"Advance({duration}) needed more than {maxEvents} events");
            }
        }

        _nowTicks = Math.Max(_nowTicks, deadline);
    }

    /// <summary>Runs the next event, if any. Returns false when idle.</summary>
    public bool Step() => TryRunNext(long.MaxValue);

    /// <summary>Runs <paramref name="action"/> as an event after <paramref name="delay"/> of virtual time.</summary>
    public void Schedule(TimeSpan delay, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(action);
        Enqueue(new Entry(EntryKind.Callback, action, 0), _nowTicks + delay.Ticks);
    }

    private long DeadlineAfter(TimeSpan span) => span.Ticks >= long.MaxValue - _nowTicks ? long.MaxValue : _nowTicks + span.Ticks;

    private SimulationLimitExceededException Limit(string what) =>
        new($"{what}; seed {Seed}, virtual time {Now}, {EventCount} events so far.{(ReplayHint is null ? string.Empty : " Replay: " + ReplayHint)}");
}
