using Decentral.Actors;

namespace Decentral.TestKit;

/// <summary>The expectations: each takes messages in arrival order and fails with a clear message.</summary>
public sealed partial class TestProbe
{
    /// <summary>The next message, which must be a <typeparamref name="T"/>.</summary>
    public T ExpectMsg<T>(TimeSpan? timeout = null) => ExpectMsg<T>(static _ => true, timeout, null);

    /// <summary>The next message, which must be a <typeparamref name="T"/> satisfying <paramref name="predicate"/>.</summary>
    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var (message, _) = Take(timeout, $"a {typeof(T).Name}{(hint is null ? string.Empty : " " + hint)}");
        if (message is not T typed)
        {
            throw Time.Fail($"{Path}: expected a {typeof(T).Name}{(hint is null ? string.Empty : " " + hint)} but received {Describe(message)}");
        }

        if (!predicate(typed))
        {
            throw Time.Fail($"{Path}: received {Describe(message)}, which does not satisfy the predicate{(hint is null ? string.Empty : " (" + hint + ")")}");
        }

        return typed;
    }

    /// <summary>The next message, which must equal <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
        where T : notnull
    {
        var (message, _) = Take(timeout, Describe(expected));
        if (!Equals(message, expected))
        {
            throw Time.Fail($"{Path}: expected {Describe(expected)} but received {Describe(message)}");
        }

        return (T)message;
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/> sent by <paramref name="sender"/>.</summary>
    public T ExpectMsgFrom<T>(IActorRef sender, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var (message, from) = Take(timeout, $"a {typeof(T).Name} from {sender.Path}");
        if (message is not T typed)
        {
            throw Time.Fail($"{Path}: expected a {typeof(T).Name} from {sender.Path} but received {Describe(message)}");
        }

        if (from is null || from.Path != sender.Path)
        {
            throw Time.Fail($"{Path}: expected {Describe(message)} from {sender.Path} but it came from {from?.Path.ToString() ?? "no sender"}");
        }

        return typed;
    }

    /// <summary>The next messages are exactly <paramref name="expected"/>, in any order (duplicates count).</summary>
    public IReadOnlyList<T> ExpectMsgAllOf<T>(IReadOnlyCollection<T> expected, TimeSpan? timeout = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(expected);
        var received = ReceiveN(expected.Count, timeout);
        var missing = expected.ToList();
        foreach (var message in received)
        {
            var index = missing.FindIndex(e => Equals(e, message));
            if (index < 0)
            {
                throw Time.Fail($"{Path}: received {Describe(message)}, which is not among the expected [{string.Join(", ", expected)}]");
            }

            missing.RemoveAt(index);
        }

        return [.. received.Cast<T>()];
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="actor"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ExpectMsg<Terminated>(t => t.ActorRef.Path == actor.Path, timeout, $"for {actor.Path}");
    }

    /// <summary>Fails if any message arrives within <paramref name="duration"/>; afterwards that much time has passed.</summary>
    public void ExpectNoMsg(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var limit = Time.Dilate(duration);
        var start = Time.Now;
        if (Time.WaitUntil(() => !_queue.IsEmpty, limit, _signal) && _queue.TryPeek(out var first))
        {
            throw Time.Fail($"{Path}: expected no message for {TestTime.Format(limit)} but received {Describe(first.Message)} after {TestTime.Format(Time.Now - start)}");
        }

        // Under a simulation RunUntil left the clock exactly at the deadline.
    }

    /// <summary>Skips messages until one satisfies <paramref name="isTheOne"/>; returns it.</summary>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        var limit = Time.RemainingOr(timeout);
        var deadline = Time.Now + limit;
        var skipped = 0;
        while (true)
        {
            var left = deadline - Time.Now;
            var (message, _) = TakeWithin(left < TimeSpan.Zero ? TimeSpan.Zero : left, () =>
                $"{Path}: fished {skipped} message(s) within {TestTime.Format(limit)} without finding {hint ?? "the expected one"}");
            if (isTheOne(message))
            {
                return message;
            }

            skipped++;
        }
    }

    /// <summary>Skips messages until a <typeparamref name="T"/> satisfying <paramref name="isTheOne"/> comes.</summary>
    public T FishForMessage<T>(Predicate<T> isTheOne, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        return (T)FishForMessage(m => m is T t && isTheOne(t), timeout, $"a matching {typeof(T).Name}");
    }

    /// <summary>The next <paramref name="count"/> messages, all within the timeout.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var limit = Time.RemainingOr(timeout);
        var deadline = Time.Now + limit;
        var received = new List<object>(count);
        while (received.Count < count)
        {
            var left = deadline - Time.Now;
            var (message, _) = TakeWithin(left < TimeSpan.Zero ? TimeSpan.Zero : left, () =>
                $"{Path}: received {received.Count} of {count} messages within {TestTime.Format(limit)}");
            received.Add(message);
        }

        return received;
    }

    /// <summary>Runs <paramref name="action"/>, which must complete within <paramref name="max"/>; inner expectations share that budget.</summary>
    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    public void Within(TimeSpan min, TimeSpan max, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Time.Within(min, max, () =>
        {
            action();
            return 0;
        });
    }

    public T Within<T>(TimeSpan max, Func<T> action) => Time.Within(TimeSpan.Zero, max, action);

    public void AwaitAssert(Action assertion, TimeSpan? max = null, TimeSpan? interval = null) =>
        Time.AwaitAssert(assertion, max, interval);

    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null) =>
        Time.AwaitCondition(condition, max, interval, message);

    private (object Message, IActorRef? Sender) Take(TimeSpan? timeout, string what)
    {
        var limit = Time.RemainingOr(timeout);
        return TakeWithin(limit, () => $"{Path}: timeout ({TestTime.Format(limit)}) while waiting for {what}");
    }

    private (object Message, IActorRef? Sender) TakeWithin(TimeSpan limit, Func<string> failure)
    {
        if (!Time.WaitUntil(() => !_queue.IsEmpty, limit, _signal) || !_queue.TryDequeue(out var item))
        {
            throw Time.Fail(failure());
        }

        LastMessage = item.Message;
        LastSender = item.Sender;
        return item;
    }

    private static string Describe(object? message) => message is null ? "null" : $"{message.GetType().Name} {message}";
}
