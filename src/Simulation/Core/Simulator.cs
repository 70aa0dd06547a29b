using System.Globalization;
using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Configuration;
using Decentral.Agreement;
using Decentral.Nodes.Runtime;

namespace Decentral.Simulation;

/// <summary>
/// Deterministic simulation of real Akka.NET actor systems: every system created here runs on the
/// simulation dispatcher and scheduler, so all mailbox runs, timers and callbacks happen on the
/// thread that drives this object, one at a time, in virtual time. Ready mailboxes run before time
/// moves; which one runs next is a seeded, process-independent choice; timers due at one instant fire
/// in a seeded order. One seed therefore fixes the whole interleaving. Not thread-safe: drive it from
/// one thread, and never block, Ask, await or read the wall clock in actor code under it.
/// </summary>
public sealed partial class Simulator : IDisposable
{
    /// <summary>The configuration key that names the simulator of a system.</summary>
    public const string IdKey = "decentral.simulation.id";

    /// <summary>Default bound on events per run call.</summary>
    public const int DefaultMaxEvents = 10_000_000;

    /// <summary>Virtual time zero, as Akka's <c>Scheduler.Now</c> shows it (fixed, so traces never see the wall clock).</summary>
    public static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<ActorSystem> systems = [];
    private readonly string id;
    private bool disposed;

    public Simulator(long seed, SimulationSettings? settings = null)
    {
        Seed = seed;
        Settings = settings ?? SimulationSettings.Default;
        Random = new SeededRandom(seed);
        timerTieBreak = Random.Fork("simulation/timer-ties");
        Ready = new ReadyQueue(Random.Fork("simulation/mailbox-picks"));
        id = SimulatorRegistry.Register(this);
    }

    public long Seed { get; }

    public SimulationSettings Settings { get; }

    /// <summary>The root generator; fork one per purpose (<see cref="SeededRandom.Fork"/>).</summary>
    public SeededRandom Random { get; }

    /// <summary>Virtual time elapsed since the start.</summary>
    public TimeSpan Now => new(nowTicks);

    /// <summary>Events executed so far (mailbox runs, timer firings, callbacks).</summary>
    public long EventCount { get; private set; }

    /// <summary>A running hash over every executed event (time, kind, recipient, sender, message type).</summary>
    public ulong TraceHash { get; private set; } = Fnv.Offset;

    /// <summary>Called after every executed event.</summary>
    public Action<SimulationEvent>? Trace { get; set; }

    /// <summary>Set by the TestKit: how to replay this run; quoted in failure messages.</summary>
    public string? ReplayHint { get; set; }

    /// <summary>Work enqueued by a foreign thread while the loop ran; non-zero means the run was not deterministic.</summary>
    public long ForeignEnqueues => Ready.ForeignAdds;

    public IReadOnlyList<ActorSystem> Systems => systems;

    internal ReadyQueue Ready { get; }

    /// <summary>
    /// Creates an Akka actor system that runs inside this simulation. <paramref name="extraConfig"/>
    /// (HOCON) is laid over the simulation's settings (which win where they overlap).
    /// </summary>
    public ActorSystem CreateSystem(string name, string? extraConfig = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (systems.Exists(s => s.Name == name))
        {
            throw new ArgumentException($"The simulation already has a system named '{name}'.", nameof(name));
        }

        var config = AkkaSettings.Empty.WithText(extraConfig, "extra settings of " + name).With(SimulationConfig.Settings(id, Settings.LogLevel)).ToAkka();

        var owner = Ready.Owner;
        Ready.Owner = null;
        using var outsideAnyActor = new NoCurrentActor();
        try
        {
            var system = ActorSystem.Create(name, config);
            systems.Add(system);
            return system;
        }
        finally
        {
            Ready.Owner = owner;
        }
    }

    public ActorSystem GetSystem(string name) =>
        systems.Find(s => s.Name == name) ?? throw new ArgumentException($"The simulation has no system named '{name}'.", nameof(name));

    /// <summary>Runs <paramref name="action"/> as an event after <paramref name="delay"/> of virtual time.</summary>
    public void Schedule(TimeSpan delay, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(action);
        AddTimer(delay, TimeSpan.Zero, TimerWork.Call(action), null, callback: true);
    }

    /// <summary>Runs events until none is left. Throws when more than <paramref name="maxEvents"/> would be needed.</summary>
    public int RunUntilIdle(int maxEvents = DefaultMaxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var count = 0;
        using var loop = EnterLoop();
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
        using (EnterLoop())
        {
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
        }

        nowTicks = Math.Max(nowTicks, deadline);
        return false;
    }

    /// <summary>Runs every event due within <paramref name="duration"/>, then sets the clock to exactly now + duration.</summary>
    public void Advance(TimeSpan duration, int maxEvents = DefaultMaxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var deadline = DeadlineAfter(duration);
        var count = 0;
        using (EnterLoop())
        {
            while (TryRunNext(deadline))
            {
                if (++count >= maxEvents && HasRunnable(deadline))
                {
                    throw Limit($"Advance({duration}) needed more than {maxEvents} events");
                }
            }
        }

        nowTicks = Math.Max(nowTicks, deadline);
    }

    /// <summary>Runs the next event, if any. Returns false when idle.</summary>
    public bool Step()
    {
        using var loop = EnterLoop();
        return TryRunNext(long.MaxValue);
    }

    /// <summary>
    /// Terminates every system. Akka's shutdown continues on thread-pool continuations, so this
    /// pumps the loop until each system reports termination (bounded by <paramref name="wallLimit"/>).
    /// Pending callbacks (<see cref="Schedule"/>, network deliveries) are dropped, not run.
    /// Read <see cref="TraceHash"/> before: shutdown traffic is not part of a run.
    /// </summary>
    public bool Shutdown(TimeSpan? wallLimit = null) => Terminate(systems, wallLimit);

    /// <summary>Terminates <paramref name="toStop"/> (systems of this simulation), pumping until they have stopped.</summary>
    public bool Terminate(IEnumerable<ActorSystem> toStop, TimeSpan? wallLimit = null)
    {
        ArgumentNullException.ThrowIfNull(toStop);
        var limit = DateTime.UtcNow + (wallLimit ?? TimeSpan.FromSeconds(10));
        var trace = Trace;
        Trace = null;
        shuttingDown = true;
        try
        {
            var terminated = toStop.Select(s => s.Terminate()).ToArray();
            while (!terminated.All(t => t.IsCompleted))
            {
                if (!TryRunNext(DeadlineAfter(TimeSpan.FromSeconds(1))))
                {
                    if (DateTime.UtcNow > limit)
                    {
                        return false;
                    }

                    Task.WaitAny(terminated, TimeSpan.FromMilliseconds(1));
                }
            }

            return true;
        }
        finally
        {
            Trace = trace;
            shuttingDown = false;
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        Shutdown();
        disposed = true;
        SimulatorRegistry.Unregister(id);
    }

    private long DeadlineAfter(TimeSpan span) => span.Ticks >= long.MaxValue - nowTicks ? long.MaxValue : nowTicks + span.Ticks;

    private SimulationLimitExceededException Limit(string what) =>
        new($"{what}; seed {Seed.ToString(CultureInfo.InvariantCulture)}, virtual time {Now}, {EventCount} events so far."
            + (ReplayHint is null ? string.Empty : " Replay: " + ReplayHint));

    private LoopScope EnterLoop() => new(Ready);

    /// <summary>
    /// Marks the calling thread as the loop's for the duration (foreign enqueues are counted), outside
    /// any actor (<see cref="NoCurrentActor"/>).
    /// </summary>
    private readonly struct LoopScope : IDisposable
    {
        private readonly ReadyQueue ready;
        private readonly Thread? previous;
        private readonly NoCurrentActor outsideAnyActor;

        public LoopScope(ReadyQueue ready)
        {
            this.ready = ready;
            previous = ready.Owner;
            ready.Owner = Thread.CurrentThread;
            outsideAnyActor = new NoCurrentActor();
        }

        public void Dispose()
        {
            outsideAnyActor.Dispose();
            ready.Owner = previous;
        }
    }

    /// <summary>
    /// Akka keeps "the actor whose message this thread runs" in a thread-static, and an implicit sender
    /// is read from it. Akka.TestKit sets it to its testActor on a test's thread, and a test runner reuses
    /// threads across tests, so a simulation driven from such a thread would stamp messages of its
    /// systems (and the trace) with a foreign testActor. Cleared for the duration, restored afterwards.
    /// </summary>
    private readonly struct NoCurrentActor : IDisposable
    {
        private readonly ActorCell? previous;

        public NoCurrentActor()
        {
            previous = InternalCurrentActorCellKeeper.Current;
            InternalCurrentActorCellKeeper.Current = null;
        }

        public void Dispose() => InternalCurrentActorCellKeeper.Current = previous;
    }
}
