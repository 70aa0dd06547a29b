using System.Collections;
using System.Runtime.ExceptionServices;
using Akka.TestKit;
using Decentral.Simulation;

namespace Decentral.TestKit;

/// <summary>
/// Akka.TestKit's timed waits with the simulation's clock: a wait runs the simulation on the test's
/// thread until what it waits for has happened or its timeout has passed in virtual time. One per
/// test kit or probe (each has its own <c>Within</c> deadline, as in Akka), over the simulation of the
/// test kit that made it.
/// </summary>
/// <remarks>
/// Message waits read the kit's or probe's own queue through Akka's public API: the simulation runs
/// until <see cref="TestKitBase.HasMessages"/>, then Akka's method is called with a zero timeout, so
/// it takes the message and checks it with Akka's own code and messages. That works because the test
/// actor behind a kit or probe runs on Akka's calling-thread dispatcher: a simulated node's
/// <c>Tell</c> puts the message into the queue before the node's turn ends. The rules (defaults,
/// explicit timeouts not cut by <c>Within</c>, <c>Within</c> ignoring a block that ended in
/// <c>ExpectNoMsg</c>, polling intervals, failure texts) are Akka 1.5's, in virtual time.
/// </remarks>
internal sealed class VirtualWaits
{
    private static readonly TimeSpan DefaultAwaitAssertInterval = TimeSpan.FromMilliseconds(100);

    private readonly Func<Simulator?> simulation;
    private readonly Func<string?> misuse;
    private readonly TimeSpan singleExpectDefault;
    private TimeSpan? end;
    private bool lastWasNoMsg;

    /// <param name="simulation">The simulation the test drives, or null (real time).</param>
    /// <param name="misuse">Why no wait may run at all right now (e.g. a cluster on a simulator the kit did not make), or null.</param>
    /// <param name="settings">Akka's TestKit settings: the default timeouts (taken as virtual time, undilated).</param>
    public VirtualWaits(Func<Simulator?> simulation, Func<string?> misuse, TestKitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.simulation = simulation;
        this.misuse = misuse;
        singleExpectDefault = settings.SingleExpectDefault;
        NoMessageDefault = settings.ExpectNoMessageDefault;
    }

    /// <summary>How long <c>ExpectNoMsg()</c> waits without a timeout outside Within (Akka's expect-no-message-default, 3 s).</summary>
    public TimeSpan NoMessageDefault { get; }

    /// <summary>Akka's NoMessageRemainingOrDefault: what Within leaves, else <see cref="NoMessageDefault"/>.</summary>
    public TimeSpan NoMessageRemainingOrDefault => end is { } e ? NonNegative(e - Now) : NoMessageDefault;

    /// <summary>True when waits run the simulation (false: Akka's own wall-clock waits).</summary>
    public bool IsVirtual
    {
        get
        {
            if (misuse() is { } problem)
            {
                throw new VirtualTimeMisuseException(problem);
            }
            return simulation() is not null;
        }
    }

    public Simulator Simulator => simulation() ?? throw new InvalidOperationException("No simulation: the test runs in real time.");

    public TimeSpan Now => Simulator.Now;

    public TimeSpan RemainingOrDefault => end is { } e ? NonNegative(e - Now) : singleExpectDefault;

    public TimeSpan Remaining => end is { } e
        ? NonNegative(e - Now)
        : throw new InvalidOperationException(@"Remaining may not be called outside of ""within""");

    /// <summary>Akka's RemainingOrDilated: an explicit timeout as given (virtual time needs no dilation), else what Within leaves or the default.</summary>
    public TimeSpan RemainingOr(TimeSpan? max) => max ?? RemainingOrDefault;

    /// <summary>Runs the simulation until <paramref name="kit"/>'s queue holds a message or <paramref name="max"/> passes.</summary>
    public bool AwaitMessage(TestKitBase kit, TimeSpan max)
    {
        lastWasNoMsg = false;
        if (max == Timeout.InfiniteTimeSpan)
        {
            // Akka waits forever; here the simulator's event bound ends a wait for something that never comes.
            max = TimeSpan.MaxValue;
        }
        return max > TimeSpan.Zero ? Simulator.RunUntil(() => kit.HasMessages, max) : kit.HasMessages;
    }

    /// <summary>A one-message expectation: waits for a message, then lets Akka take and check it with a zero timeout.</summary>
    public T Expect<T>(TestKitBase kit, TimeSpan? max, Func<T> takeNow, string what)
    {
        var limit = RemainingOr(max);
        if (!AwaitMessage(kit, limit))
        {
            throw Fail($"Failed: Timeout {limit} while waiting for {what}");
        }
        return takeNow();
    }

    /// <summary>Akka's ReceiveOne/PeekOne/TryReceiveOne: waits, then Akka's method with a zero timeout answers (null/false when none came).</summary>
    public T TakeOrNothing<T>(TestKitBase kit, TimeSpan? max, Func<T> takeNow)
    {
        AwaitMessage(kit, RemainingOr(max));
        return takeNow();
    }

    public void ExpectNoMsg(TestKitBase kit, TimeSpan duration)
    {
        var start = Now;
        if (AwaitMessage(kit, duration))
        {
            var message = kit.ReceiveOne(TimeSpan.Zero);
            throw Fail($"Failed: Expected no messages during {duration}, instead we received {message} after {Now - start}");
        }
        lastWasNoMsg = true;
    }

    public T FishForMessage<T>(TestKitBase kit, Predicate<T> isMessage, ArrayList? allMessages, TimeSpan? max, string? hint)
    {
        var limit = RemainingOr(max);
        var stop = Now + limit;
        allMessages?.Clear();
        while (true)
        {
            if (!AwaitMessage(kit, stop - Now))
            {
                throw Fail($"Timeout ({limit}) during fishForMessage{(string.IsNullOrEmpty(hint) ? string.Empty : ", hint: " + hint)}");
            }
            var message = kit.ReceiveOne(TimeSpan.Zero);
            if (message is T typed && isMessage(typed))
            {
                return typed;
            }
            allMessages?.Add(message);
        }
    }

    /// <summary>Akka's WaitForRadioSilence: takes messages until none comes within the timeout (at most <paramref name="maxMessages"/>).</summary>
    public ArrayList RadioSilence(TestKitBase kit, TimeSpan? max, uint? maxMessages)
    {
        var messages = new ArrayList();
        for (uint i = 0; ; i++)
        {
            if (maxMessages is { } most && i > most)
            {
                throw Fail($"maxMessages violated (current iteration: {i}).");
            }
            if (!AwaitMessage(kit, RemainingOr(max)))
            {
                return ArrayList.ReadOnly(messages);
            }
            messages.Add(kit.ReceiveOne(TimeSpan.Zero));
        }
    }

    public IReadOnlyList<object> ReceiveN(TestKitBase kit, int count, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var start = Now;
        var stop = start + max;
        var received = new List<object>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            if (!AwaitMessage(kit, stop - Now))
            {
                throw Fail($"Timeout ({max}) while expecting {count} messages. Only got {i} after {Now - start}.");
            }
            received.Add(kit.ReceiveOne(TimeSpan.Zero)!);
        }
        return received;
    }

    /// <summary>Akka's ExpectMsgAllOf: <paramref name="expected"/>.Count messages within <paramref name="max"/>, equal to the expected ones in any order.</summary>
    public IReadOnlyCollection<T> ExpectMsgAllOf<T>(TestKitBase kit, TimeSpan max, IReadOnlyCollection<T> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var received = ReceiveN(kit, expected.Count, max);
        var typed = received.OfType<T>().ToList();
        var missing = expected.Where(m => !typed.Any(r => Equals(r, m))).ToList();
        var unexpected = received.Where(r => r is not T t || !expected.Any(m => Equals(t, m))).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw Fail($"Failed: expected all of [{string.Join(", ", expected)}]: not found [{string.Join(", ", missing)}], found unexpected [{string.Join(", ", unexpected)}]");
        }
        return typed;
    }

    /// <summary>Akka's ExpectMsgAllOfMatchingPredicates: one message per predicate (of its type, satisfying it), in any order.</summary>
    public IReadOnlyCollection<object> ExpectMsgAllOfMatchingPredicates(TestKitBase kit, TimeSpan max, IReadOnlyCollection<PredicateInfo> predicates)
    {
        ArgumentNullException.ThrowIfNull(predicates);
        var received = ReceiveN(kit, predicates.Count, max);
        var unmatched = received.ToList();
        var missing = new List<PredicateInfo>();
        foreach (var p in predicates)
        {
            var match = unmatched.FindIndex(m => p.Type.IsInstanceOfType(m) && p.PredicateT.DynamicInvoke(m) is true);
            if (match < 0)
            {
                missing.Add(p);
                continue;
            }
            unmatched.RemoveAt(match);
        }
        if (missing.Count > 0)
        {
            throw Fail($"Failed: no message matched [{string.Join(", ", missing)}]; received [{string.Join(", ", received)}], unmatched [{string.Join(", ", unmatched)}]");
        }
        return received;
    }

    /// <summary>
    /// Akka's ReceiveWhile: peeks each message as it comes (within <paramref name="max"/>, and within
    /// <paramref name="idle"/> of the previous one); <paramref name="accept"/> says whether to take it
    /// (and what to yield), to skip it (taken, not yielded) or to stop (left in the queue).
    /// </summary>
    public IReadOnlyList<T> ReceiveWhile<T>(TestKitBase kit, TimeSpan? max, TimeSpan? idle, int count, Func<object, (Step Step, T Value)> accept)
    {
        var stop = Now + RemainingOr(max);
        var results = new List<T>();
        while (results.Count < count)
        {
            var wait = stop - Now;
            if (idle is { } i && i != Timeout.InfiniteTimeSpan && i < wait)
            {
                wait = i;
            }
            if (!AwaitMessage(kit, wait))
            {
                break;
            }
            var (step, value) = accept(kit.PeekOne(TimeSpan.Zero)!);
            if (step == Step.Stop)
            {
                break;
            }
            kit.ReceiveOne(TimeSpan.Zero);
            if (step == Step.Take)
            {
                results.Add(value);
            }
        }
        lastWasNoMsg = true;
        return results;
    }

    public bool AwaitConditionNoThrow(Func<bool> condition, TimeSpan max, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var stop = Now + max;
        // Akka polls every tenth of the timeout unless told otherwise.
        var step = interval is { } given ? Positive(given, nameof(interval)) : new TimeSpan(Math.Max(1, max.Ticks / 10));
        while (!condition())
        {
            var left = stop - Now;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }
            Simulator.Advance(left < step ? left : step);
        }
        return true;
    }

    public void AwaitCondition(Func<bool> condition, TimeSpan? max, TimeSpan? interval, string? message)
    {
        var limit = RemainingOr(max);
        if (!AwaitConditionNoThrow(condition, limit, interval))
        {
            throw Fail($"Timeout {limit} expired while waiting for condition.{(message is null ? string.Empty : " " + message)}");
        }
    }

    /// <summary>Akka's AwaitAssert: tries the assertion every interval; when time is up, rethrows its last failure.</summary>
    public void AwaitAssert(Action assertion, TimeSpan? max, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var every = interval == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : Positive(interval ?? DefaultAwaitAssertInterval, nameof(interval));
        var limit = RemainingOr(max);
        var stop = Now + limit;
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception e) when (e is not (OutOfMemoryException or VirtualTimeMisuseException))
            {
                var left = stop - Now;
                if (left <= TimeSpan.Zero)
                {
                    ExceptionDispatchInfo.Capture(e).Throw();
                }
                Simulator.Advance(left < every ? left : every);
            }
        }
    }

    /// <summary>Akka's Within, on the simulation's clock: the block must end between min and max (unless it ended in ExpectNoMsg).</summary>
    public T Within<T>(TimeSpan min, TimeSpan max, Func<T> block, string? hint, TimeSpan? epsilon)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(max, TimeSpan.Zero);
        var start = Now;
        var left = end is { } e ? e - start : Timeout.InfiniteTimeSpan;
        if (left != Timeout.InfiniteTimeSpan && left < min)
        {
            throw Fail($"Required min time {min} not possible, only {left} left. {hint}");
        }
        lastWasNoMsg = false;
        var allowed = left == Timeout.InfiniteTimeSpan || max < left ? max : left;
        var previous = end;
        end = start + allowed;
        T result;
        try
        {
            result = block();
        }
        finally
        {
            end = previous;
        }
        var elapsed = Now - start;
        if (elapsed < min)
        {
            throw Fail($"Failed: Block took {elapsed}, should have at least been {min}. {hint}");
        }
        if (!lastWasNoMsg && elapsed > allowed + (epsilon ?? TimeSpan.Zero))
        {
            throw Fail($"Failed: Block took {elapsed}, exceeding {allowed}. {hint}");
        }
        return result;
    }

    /// <summary>An Akka-style failure, with the virtual time it happened at and how to replay the run.</summary>
    public TestKitAssertionException Fail(string message)
    {
        var sim = simulation();
        var replay = sim?.ReplayHint ?? (sim is null ? null : $"seed {sim.Seed}");
        return new TestKitAssertionException($"{message} [virtual time {sim?.Now}{(replay is null ? string.Empty : "; replay: " + replay)}]");
    }

    private static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

    private static TimeSpan Positive(TimeSpan t, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, name);
        return t;
    }

    /// <summary>What ReceiveWhile does with a peeked message.</summary>
    internal enum Step
    {
        Take,
        Skip,
        Stop,
    }
}
