using System.Collections;
using Akka.Actor;
using Akka.TestKit;
using Akka.Configuration;
using Decentral.Simulation;
using Xunit.Abstractions;

namespace Decentral.TestKit;

/// <summary>
/// Akka.TestKit.Xunit2's TestKit whose timed waits run in virtual time while the test drives a
/// simulation: every <c>AwaitAssert</c>, <c>AwaitCondition</c>, <c>Within</c>, <c>ExpectMsg*</c>,
/// <c>ExpectNoMsg</c>, <c>FishForMessage</c>, <c>Receive*</c> and <c>Peek*</c> overload of Akka's
/// <see cref="TestKitBase"/> (and its <c>…Async</c> form) is declared again here with the same
/// signature: with no simulation it is Akka's own; with one it runs the simulation until what it waits
/// for happens or its timeout passes on the simulation's clock (see <see cref="VirtualWaits"/>). Derive
/// from <see cref="DecentralTestKit"/>.
/// </summary>
/// <remarks>
/// Akka.TestKit 1.5 offers no time hook (its waits read <c>DateTime.UtcNow</c> and time out with
/// <c>Task.Delay</c> and <c>CancellationTokenSource</c>, none of them virtual), so the waits are
/// hidden with <c>new</c> members: a call through a reference typed as Akka's <see cref="TestKitBase"/>
/// or <see cref="TestProbe"/> gets Akka's wall-clock wait.
/// </remarks>
public abstract class VirtualTimeTestKit : Akka.TestKit.Xunit2.TestKit
{
    private protected VirtualTimeTestKit(Config config, ITestOutputHelper output)
        : base(config, null, output)
    {
        Waits = new VirtualWaits(() => ActiveSimulation, () => WaitMisuse, TestKitSettings);
    }

    /// <summary>Akka's RemainingOrDefault; under a simulation in virtual time.</summary>
    public new TimeSpan RemainingOrDefault => Waits.IsVirtual ? Waits.RemainingOrDefault : base.RemainingOrDefault;

    /// <summary>Akka's Remaining (inside Within only); under a simulation in virtual time.</summary>
    public new TimeSpan Remaining => Waits.IsVirtual ? Waits.Remaining : base.Remaining;

    /// <summary>Akka's NoMessageRemainingOrDefault (what <c>ExpectNoMsg()</c> waits); under a simulation in virtual time.</summary>
    public new TimeSpan NoMessageRemainingOrDefault => Waits.IsVirtual ? Waits.NoMessageRemainingOrDefault : base.NoMessageRemainingOrDefault;

    internal VirtualWaits Waits { get; }

    /// <summary>The simulation the test drives (its waits run it), or null: real time.</summary>
    private protected abstract Simulator? ActiveSimulation { get; }

    /// <summary>Why no wait may run now (it could only wait on the wall clock), or null.</summary>
    private protected abstract string? WaitMisuse { get; }

    public new void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.AwaitAssert(assertion, duration, interval);
            return;
        }
        base.AwaitAssert(assertion, duration, interval, cancellationToken);
    }

    public new Task AwaitAssertAsync(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitAssert(assertion, duration, interval)) : base.AwaitAssertAsync(assertion, duration, interval, cancellationToken);

    public new Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? duration = null, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitAssert(() => CompletedTasks.Completed(assertion(), nameof(AwaitAssertAsync)), duration, interval)) : base.AwaitAssertAsync(assertion, duration, interval, cancellationToken);

    public new void AwaitCondition(Func<bool> conditionIsFulfilled, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.AwaitCondition(conditionIsFulfilled, null, null, null);
            return;
        }
        base.AwaitCondition(conditionIsFulfilled, cancellationToken);
    }

    public new void AwaitCondition(Func<bool> conditionIsFulfilled, TimeSpan? max, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.AwaitCondition(conditionIsFulfilled, max, null, null);
            return;
        }
        base.AwaitCondition(conditionIsFulfilled, max, cancellationToken);
    }

    public new void AwaitCondition(Func<bool> conditionIsFulfilled, TimeSpan? max, string? message, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.AwaitCondition(conditionIsFulfilled, max, null, message);
            return;
        }
        base.AwaitCondition(conditionIsFulfilled, max, message, cancellationToken);
    }

    public new void AwaitCondition(Func<bool> conditionIsFulfilled, TimeSpan? max, TimeSpan? interval, string? message = null, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.AwaitCondition(conditionIsFulfilled, max, interval, message);
            return;
        }
        base.AwaitCondition(conditionIsFulfilled, max, interval, message, cancellationToken);
    }

    public new Task AwaitConditionAsync(Func<Task<bool>> conditionIsFulfilled, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitCondition(() => CompletedTasks.Completed(conditionIsFulfilled(), nameof(AwaitConditionAsync)), null, null, null)) : base.AwaitConditionAsync(conditionIsFulfilled, cancellationToken);

    public new Task AwaitConditionAsync(Func<bool> conditionIsFulfilled, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitCondition(conditionIsFulfilled, null, null, null)) : base.AwaitConditionAsync(conditionIsFulfilled, cancellationToken);

    public new Task AwaitConditionAsync(Func<Task<bool>> conditionIsFulfilled, TimeSpan? max, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitCondition(() => CompletedTasks.Completed(conditionIsFulfilled(), nameof(AwaitConditionAsync)), max, null, null)) : base.AwaitConditionAsync(conditionIsFulfilled, max, cancellationToken);

    public new Task AwaitConditionAsync(Func<Task<bool>> conditionIsFulfilled, TimeSpan? max, string? message, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitCondition(() => CompletedTasks.Completed(conditionIsFulfilled(), nameof(AwaitConditionAsync)), max, null, message)) : base.AwaitConditionAsync(conditionIsFulfilled, max, message, cancellationToken);

    public new Task AwaitConditionAsync(Func<bool> conditionIsFulfilled, TimeSpan? max, string? message, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitCondition(conditionIsFulfilled, max, null, message)) : base.AwaitConditionAsync(conditionIsFulfilled, max, message, cancellationToken);

    public new Task AwaitConditionAsync(Func<Task<bool>> conditionIsFulfilled, TimeSpan? max, TimeSpan? interval, string? message = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitCondition(() => CompletedTasks.Completed(conditionIsFulfilled(), nameof(AwaitConditionAsync)), max, interval, message)) : base.AwaitConditionAsync(conditionIsFulfilled, max, interval, message, cancellationToken);

    public new Task AwaitConditionAsync(Func<bool> conditionIsFulfilled, TimeSpan? max, TimeSpan? interval, string? message = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitCondition(conditionIsFulfilled, max, interval, message)) : base.AwaitConditionAsync(conditionIsFulfilled, max, interval, message, cancellationToken);

    public new bool AwaitConditionNoThrow(Func<bool> conditionIsFulfilled, TimeSpan max, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.AwaitConditionNoThrow(conditionIsFulfilled, max, interval) : base.AwaitConditionNoThrow(conditionIsFulfilled, max, interval, cancellationToken);

    public new Task<bool> AwaitConditionNoThrowAsync(Func<Task<bool>> conditionIsFulfilled, TimeSpan max, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitConditionNoThrow(() => CompletedTasks.Completed(conditionIsFulfilled(), nameof(AwaitConditionNoThrowAsync)), max, interval)) : base.AwaitConditionNoThrowAsync(conditionIsFulfilled, max, interval, cancellationToken);

    public new Task<bool> AwaitConditionNoThrowAsync(Func<bool> conditionIsFulfilled, TimeSpan max, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.AwaitConditionNoThrow(conditionIsFulfilled, max, interval)) : base.AwaitConditionNoThrowAsync(conditionIsFulfilled, max, interval, cancellationToken);

    public new void Within(TimeSpan max, Action action, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.Within(TimeSpan.Zero, max, () => { action(); return true; }, null, epsilonValue);
            return;
        }
        base.Within(max, action, epsilonValue, cancellationToken);
    }

    public new void Within(TimeSpan min, TimeSpan max, Action action, string? hint = null, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.Within(min, max, () => { action(); return true; }, hint, epsilonValue);
            return;
        }
        base.Within(min, max, action, hint, epsilonValue, cancellationToken);
    }

    public new T Within<T>(TimeSpan max, Func<T> function, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Within(TimeSpan.Zero, max, function, null, epsilonValue) : base.Within<T>(max, function, epsilonValue, cancellationToken);

    public new T Within<T>(TimeSpan min, TimeSpan max, Func<T> function, string? hint = null, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Within(min, max, function, hint, epsilonValue) : base.Within<T>(min, max, function, hint, epsilonValue, cancellationToken);

    public new Task WithinAsync(TimeSpan max, Func<Task> actionAsync, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.Within(TimeSpan.Zero, max, () => { CompletedTasks.Completed(actionAsync(), nameof(WithinAsync)); return true; }, null, epsilonValue)) : base.WithinAsync(max, actionAsync, epsilonValue, cancellationToken);

    public new Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> actionAsync, string? hint = null, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.Within(min, max, () => { CompletedTasks.Completed(actionAsync(), nameof(WithinAsync)); return true; }, hint, epsilonValue)) : base.WithinAsync(min, max, actionAsync, hint, epsilonValue, cancellationToken);

    public new Task<T> WithinAsync<T>(TimeSpan max, Func<Task<T>> function, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.Within(TimeSpan.Zero, max, () => CompletedTasks.Completed(function(), nameof(WithinAsync)), null, epsilonValue)) : base.WithinAsync<T>(max, function, epsilonValue, cancellationToken);

    public new Task<T> WithinAsync<T>(TimeSpan min, TimeSpan max, Func<Task<T>> function, string? hint = null, TimeSpan? epsilonValue = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.Within(min, max, () => CompletedTasks.Completed(function(), nameof(WithinAsync)), hint, epsilonValue)) : base.WithinAsync<T>(min, max, function, hint, epsilonValue, cancellationToken);

    public new T ExpectMsg<T>(TimeSpan? duration = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, duration, () => base.ExpectMsg<T>(TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsg<T>(duration, hint, cancellationToken);

    public new T ExpectMsg<T>(T message, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsg<T>(message, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsg<T>(message, timeout, hint, cancellationToken);

    public new T ExpectMsg<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsg<T>(isMessage, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsg<T>(isMessage, timeout, hint, cancellationToken);

    public new T ExpectMsg<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsg<T>(assert, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsg<T>(assert, timeout, hint, cancellationToken);

    public new T ExpectMsg<T>(Func<T, IActorRef, bool> isMessageAndSender, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsg<T>(isMessageAndSender, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsg<T>(isMessageAndSender, timeout, hint, cancellationToken);

    public new T ExpectMsg<T>(Action<T, IActorRef> assertMessageAndSender, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsg<T>(assertMessageAndSender, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsg<T>(assertMessageAndSender, timeout, hint, cancellationToken);

    public new T ExpectMsg<T>(T expected, Func<T, T, bool> comparer, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsg<T>(expected, comparer, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsg<T>(expected, comparer, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgAsync<T>(TimeSpan? duration = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsg<T>(duration, hint, cancellationToken)) : base.ExpectMsgAsync<T>(duration, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgAsync<T>(T message, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsg<T>(message, timeout, hint, cancellationToken)) : base.ExpectMsgAsync<T>(message, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgAsync<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsg<T>(isMessage, timeout, hint, cancellationToken)) : base.ExpectMsgAsync<T>(isMessage, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgAsync<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsg<T>(assert, timeout, hint, cancellationToken)) : base.ExpectMsgAsync<T>(assert, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgAsync<T>(Func<T, IActorRef, bool> isMessageAndSender, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsg<T>(isMessageAndSender, timeout, hint, cancellationToken)) : base.ExpectMsgAsync<T>(isMessageAndSender, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgAsync<T>(Action<T, IActorRef> assertMessageAndSender, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsg<T>(assertMessageAndSender, timeout, hint, cancellationToken)) : base.ExpectMsgAsync<T>(assertMessageAndSender, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgAsync<T>(T expected, Func<T, T, bool> comparer, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsg<T>(expected, comparer, timeout, hint, cancellationToken)) : base.ExpectMsgAsync<T>(expected, comparer, timeout, hint, cancellationToken);

    public new T ExpectMsgFrom<T>(IActorRef sender, TimeSpan? duration = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, duration, () => base.ExpectMsgFrom<T>(sender, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsgFrom<T>(sender, duration, hint, cancellationToken);

    public new T ExpectMsgFrom<T>(IActorRef sender, T message, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsgFrom<T>(sender, message, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsgFrom<T>(sender, message, timeout, hint, cancellationToken);

    public new T ExpectMsgFrom<T>(IActorRef sender, Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsgFrom<T>(sender, isMessage, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsgFrom<T>(sender, isMessage, timeout, hint, cancellationToken);

    public new T ExpectMsgFrom<T>(Predicate<IActorRef> isSender, Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsgFrom<T>(isSender, isMessage, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsgFrom<T>(isSender, isMessage, timeout, hint, cancellationToken);

    public new T ExpectMsgFrom<T>(IActorRef sender, Action<T> assertMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsgFrom<T>(sender, assertMessage, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsgFrom<T>(sender, assertMessage, timeout, hint, cancellationToken);

    public new T ExpectMsgFrom<T>(Action<IActorRef> assertSender, Action<T> assertMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectMsgFrom<T>(assertSender, assertMessage, TimeSpan.Zero, hint, cancellationToken), $"a message of type {typeof(T)} {hint}") : base.ExpectMsgFrom<T>(assertSender, assertMessage, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgFromAsync<T>(IActorRef sender, TimeSpan? duration = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsgFrom<T>(sender, duration, hint, cancellationToken)) : base.ExpectMsgFromAsync<T>(sender, duration, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgFromAsync<T>(IActorRef sender, T message, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsgFrom<T>(sender, message, timeout, hint, cancellationToken)) : base.ExpectMsgFromAsync<T>(sender, message, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgFromAsync<T>(IActorRef sender, Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsgFrom<T>(sender, isMessage, timeout, hint, cancellationToken)) : base.ExpectMsgFromAsync<T>(sender, isMessage, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgFromAsync<T>(Predicate<IActorRef> isSender, Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsgFrom<T>(isSender, isMessage, timeout, hint, cancellationToken)) : base.ExpectMsgFromAsync<T>(isSender, isMessage, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgFromAsync<T>(IActorRef sender, Action<T> assertMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsgFrom<T>(sender, assertMessage, timeout, hint, cancellationToken)) : base.ExpectMsgFromAsync<T>(sender, assertMessage, timeout, hint, cancellationToken);

    public new ValueTask<T> ExpectMsgFromAsync<T>(Action<IActorRef> assertSender, Action<T> assertMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsgFrom<T>(assertSender, assertMessage, timeout, hint, cancellationToken)) : base.ExpectMsgFromAsync<T>(assertSender, assertMessage, timeout, hint, cancellationToken);

    public new Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, timeout, () => base.ExpectTerminated(target, TimeSpan.Zero, hint, cancellationToken), $"Terminated of {target} {hint}") : base.ExpectTerminated(target, timeout, hint, cancellationToken);

    public new ValueTask<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectTerminated(target, timeout, hint, cancellationToken)) : base.ExpectTerminatedAsync(target, timeout, hint, cancellationToken);

    public new T ExpectMsgAnyOf<T>(IEnumerable<T> messages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.Expect(this, null, () => base.ExpectMsgAnyOf(messages, cancellationToken), "one of the expected messages") : base.ExpectMsgAnyOf<T>(messages, cancellationToken);

    public new ValueTask<T> ExpectMsgAnyOfAsync<T>(IEnumerable<T> messages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectMsgAnyOf(messages, cancellationToken)) : base.ExpectMsgAnyOfAsync<T>(messages, cancellationToken);

    public new IReadOnlyCollection<T> ExpectMsgAllOf<T>(params T[] messages) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOf(this, Waits.RemainingOrDefault, messages) : base.ExpectMsgAllOf<T>(messages);

    public new IReadOnlyCollection<T> ExpectMsgAllOf<T>(IReadOnlyCollection<T> messages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOf(this, Waits.RemainingOrDefault, messages) : base.ExpectMsgAllOf<T>(messages, cancellationToken);

    public new IReadOnlyCollection<T> ExpectMsgAllOf<T>(TimeSpan max, params T[] messages) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOf(this, max, messages) : base.ExpectMsgAllOf<T>(max, messages);

    public new IReadOnlyCollection<T> ExpectMsgAllOf<T>(TimeSpan max, IReadOnlyCollection<T> messages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOf(this, max, messages) : base.ExpectMsgAllOf<T>(max, messages, cancellationToken);

    public new IAsyncEnumerable<T> ExpectMsgAllOfAsync<T>(IReadOnlyCollection<T> messages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ExpectMsgAllOf(messages, cancellationToken)) : base.ExpectMsgAllOfAsync<T>(messages, cancellationToken);

    public new IAsyncEnumerable<T> ExpectMsgAllOfAsync<T>(TimeSpan max, IReadOnlyCollection<T> messages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ExpectMsgAllOf(max, messages, cancellationToken)) : base.ExpectMsgAllOfAsync<T>(max, messages, cancellationToken);

    public new IReadOnlyCollection<object> ExpectMsgAllOfMatchingPredicates(params PredicateInfo[] predicates) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOfMatchingPredicates(this, Waits.RemainingOrDefault, predicates) : base.ExpectMsgAllOfMatchingPredicates(predicates);

    public new IReadOnlyCollection<object> ExpectMsgAllOfMatchingPredicates(IReadOnlyCollection<PredicateInfo> predicates, CancellationToken cancellationToken) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOfMatchingPredicates(this, Waits.RemainingOrDefault, predicates) : base.ExpectMsgAllOfMatchingPredicates(predicates, cancellationToken);

    public new IReadOnlyCollection<object> ExpectMsgAllOfMatchingPredicates(TimeSpan max, params PredicateInfo[] predicates) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOfMatchingPredicates(this, max, predicates) : base.ExpectMsgAllOfMatchingPredicates(max, predicates);

    public new IReadOnlyCollection<object> ExpectMsgAllOfMatchingPredicates(TimeSpan max, IReadOnlyCollection<PredicateInfo> predicates, CancellationToken cancellationToken) =>
        Waits.IsVirtual ? Waits.ExpectMsgAllOfMatchingPredicates(this, max, predicates) : base.ExpectMsgAllOfMatchingPredicates(max, predicates, cancellationToken);

    public new IAsyncEnumerable<object> ExpectMsgAllOfMatchingPredicatesAsync(IReadOnlyCollection<PredicateInfo> predicates, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ExpectMsgAllOfMatchingPredicates(predicates, cancellationToken)) : base.ExpectMsgAllOfMatchingPredicatesAsync(predicates, cancellationToken);

    public new IAsyncEnumerable<object> ExpectMsgAllOfMatchingPredicatesAsync(TimeSpan max, IReadOnlyCollection<PredicateInfo> predicates, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ExpectMsgAllOfMatchingPredicates(max, predicates, cancellationToken)) : base.ExpectMsgAllOfMatchingPredicatesAsync(max, predicates, cancellationToken);

    public new void ExpectNoMsg(CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.ExpectNoMsg(this, Waits.NoMessageRemainingOrDefault);
            return;
        }
        base.ExpectNoMsg(cancellationToken);
    }

    public new void ExpectNoMsg(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.ExpectNoMsg(this, duration);
            return;
        }
        base.ExpectNoMsg(duration, cancellationToken);
    }

    public new void ExpectNoMsg(int milliseconds, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.ExpectNoMsg(this, TimeSpan.FromMilliseconds(milliseconds));
            return;
        }
        base.ExpectNoMsg(milliseconds, cancellationToken);
    }

    public new ValueTask ExpectNoMsgAsync(CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectNoMsg(cancellationToken)) : base.ExpectNoMsgAsync(cancellationToken);

    public new ValueTask ExpectNoMsgAsync(TimeSpan duration, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectNoMsg(duration, cancellationToken)) : base.ExpectNoMsgAsync(duration, cancellationToken);

    public new ValueTask ExpectNoMsgAsync(int milliseconds, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ExpectNoMsg(milliseconds, cancellationToken)) : base.ExpectNoMsgAsync(milliseconds, cancellationToken);

    public new object FishForMessage(Predicate<object> isMessage, TimeSpan? max = null, string hint = "", CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.FishForMessage(this, isMessage, null, max, hint) : base.FishForMessage(isMessage, max, hint, cancellationToken);

    public new T FishForMessage<T>(Predicate<T> isMessage, TimeSpan? max = null, string hint = "", CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.FishForMessage(this, isMessage, null, max, hint) : base.FishForMessage<T>(isMessage, max, hint, cancellationToken);

    public new T FishForMessage<T>(Predicate<T> isMessage, ArrayList allMessages, TimeSpan? max = null, string hint = "", CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.FishForMessage(this, isMessage, allMessages, max, hint) : base.FishForMessage<T>(isMessage, allMessages, max, hint, cancellationToken);

    public new ValueTask<object> FishForMessageAsync(Predicate<object> isMessage, TimeSpan? max = null, string hint = "", CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => FishForMessage(isMessage, max, hint, cancellationToken)) : base.FishForMessageAsync(isMessage, max, hint, cancellationToken);

    public new ValueTask<T> FishForMessageAsync<T>(Predicate<T> isMessage, TimeSpan? max = null, string hint = "", CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => FishForMessage(isMessage, max, hint, cancellationToken)) : base.FishForMessageAsync<T>(isMessage, max, hint, cancellationToken);

    public new ValueTask<T> FishForMessageAsync<T>(Predicate<T> isMessage, ArrayList allMessages, TimeSpan? max = null, string hint = "", CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => FishForMessage(isMessage, allMessages, max, hint, cancellationToken)) : base.FishForMessageAsync<T>(isMessage, allMessages, max, hint, cancellationToken);

    public new Task FishUntilMessageAsync<T>(TimeSpan? max = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.ReceiveWhile<object>(this, max, null, int.MaxValue, m => m is T ? throw Waits.Fail($"did not expect a message of type {typeof(T)}") : (VirtualWaits.Step.Skip, m))) : base.FishUntilMessageAsync<T>(max, cancellationToken);

    public new Task<ArrayList> WaitForRadioSilenceAsync(TimeSpan? max = null, uint? maxMessages = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsTask(() => Waits.RadioSilence(this, max, maxMessages)) : base.WaitForRadioSilenceAsync(max, maxMessages, cancellationToken);

    public new object? ReceiveOne(TimeSpan? max = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.TakeOrNothing(this, max, () => base.ReceiveOne(TimeSpan.Zero, cancellationToken)) : base.ReceiveOne(max, cancellationToken);

    public new ValueTask<object?> ReceiveOneAsync(TimeSpan? max = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => ReceiveOne(max, cancellationToken)) : base.ReceiveOneAsync(max, cancellationToken);

    public new object? PeekOne(TimeSpan? max = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.TakeOrNothing(this, max, () => base.PeekOne(TimeSpan.Zero, cancellationToken)) : base.PeekOne(max, cancellationToken);

    public new object? PeekOne(CancellationToken cancellationToken) =>
        Waits.IsVirtual ? Waits.TakeOrNothing(this, Timeout.InfiniteTimeSpan, () => base.PeekOne(TimeSpan.Zero, cancellationToken)) : base.PeekOne(cancellationToken);

    public new ValueTask<object?> PeekOneAsync(TimeSpan? max = null, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => PeekOne(max, cancellationToken)) : base.PeekOneAsync(max, cancellationToken);

    public new ValueTask<object?> PeekOneAsync(CancellationToken cancellationToken) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => PeekOne(cancellationToken)) : base.PeekOneAsync(cancellationToken);

    public new ValueTask<(bool success, MessageEnvelope envelope)> TryReceiveOneAsync(TimeSpan? max, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => (TryReceiveOne(out var envelope, max, cancellationToken), envelope)) : base.TryReceiveOneAsync(max, cancellationToken);

    public new ValueTask<(bool success, MessageEnvelope envelope)> TryPeekOneAsync(TimeSpan? max, CancellationToken cancellationToken) =>
        Waits.IsVirtual ? CompletedTasks.AsValueTask(() => (TryPeekOne(out var envelope, max, cancellationToken), envelope)) : base.TryPeekOneAsync(max, cancellationToken);

    public new IReadOnlyCollection<object> ReceiveN(int numberOfMessages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ReceiveN(this, numberOfMessages, Waits.RemainingOrDefault) : base.ReceiveN(numberOfMessages, cancellationToken);

    public new IReadOnlyCollection<object> ReceiveN(int numberOfMessages, TimeSpan max, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ReceiveN(this, numberOfMessages, max) : base.ReceiveN(numberOfMessages, max, cancellationToken);

    public new IAsyncEnumerable<object> ReceiveNAsync(int numberOfMessages, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ReceiveN(numberOfMessages, cancellationToken)) : base.ReceiveNAsync(numberOfMessages, cancellationToken);

    public new IAsyncEnumerable<object> ReceiveNAsync(int numberOfMessages, TimeSpan max, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ReceiveN(numberOfMessages, max, cancellationToken)) : base.ReceiveNAsync(numberOfMessages, max, cancellationToken);

    public new IReadOnlyList<T> ReceiveWhile<T>(TimeSpan? max, Func<object, T> filter, int msgs = int.MaxValue, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ReceiveWhile<T>(this, max, null, msgs, m => filter(m) is { } v ? (VirtualWaits.Step.Take, v) : (VirtualWaits.Step.Stop, default!)) : base.ReceiveWhile<T>(max, filter, msgs, cancellationToken);

    public new IReadOnlyList<T> ReceiveWhile<T>(TimeSpan? max, TimeSpan? idle, Func<object, T> filter, int msgs = int.MaxValue, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ReceiveWhile<T>(this, max, idle, msgs, m => filter(m) is { } v ? (VirtualWaits.Step.Take, v) : (VirtualWaits.Step.Stop, default!)) : base.ReceiveWhile<T>(max, idle, filter, msgs, cancellationToken);

    public new IReadOnlyList<T> ReceiveWhile<T>(Func<object, T> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ReceiveWhile<T>(this, max, idle, msgs, m => filter(m) is { } v ? (VirtualWaits.Step.Take, v) : (VirtualWaits.Step.Stop, default!)) : base.ReceiveWhile<T>(filter, max, idle, msgs, cancellationToken);

    public new IReadOnlyList<T> ReceiveWhile<T>(Predicate<T> shouldContinue, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue, bool shouldIgnoreOtherMessageTypes = true, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? Waits.ReceiveWhile<T>(this, max, idle, msgs, m => m is T t ? (shouldContinue(t) ? VirtualWaits.Step.Take : VirtualWaits.Step.Stop, t) : (shouldIgnoreOtherMessageTypes ? VirtualWaits.Step.Skip : VirtualWaits.Step.Stop, default!)) : base.ReceiveWhile<T>(shouldContinue, max, idle, msgs, shouldIgnoreOtherMessageTypes, cancellationToken);

    public new IAsyncEnumerable<T> ReceiveWhileAsync<T>(TimeSpan? max, Func<object, T> filter, int msgs = int.MaxValue, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ReceiveWhile(max, filter, msgs, cancellationToken)) : base.ReceiveWhileAsync<T>(max, filter, msgs, cancellationToken);

    public new IAsyncEnumerable<T> ReceiveWhileAsync<T>(TimeSpan? max, TimeSpan? idle, Func<object, T> filter, int msgs = int.MaxValue, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ReceiveWhile(max, idle, filter, msgs, cancellationToken)) : base.ReceiveWhileAsync<T>(max, idle, filter, msgs, cancellationToken);

    public new IAsyncEnumerable<T> ReceiveWhileAsync<T>(Func<object, T> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ReceiveWhile(filter, max, idle, msgs, cancellationToken)) : base.ReceiveWhileAsync<T>(filter, max, idle, msgs, cancellationToken);

    public new IAsyncEnumerable<T> ReceiveWhileAsync<T>(Predicate<T> shouldContinue, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue, bool shouldIgnoreOtherMessageTypes = true, CancellationToken cancellationToken = default) =>
        Waits.IsVirtual ? CompletedTasks.AsAsyncEnumerable(() => ReceiveWhile(shouldContinue, max, idle, msgs, shouldIgnoreOtherMessageTypes, cancellationToken)) : base.ReceiveWhileAsync<T>(shouldContinue, max, idle, msgs, shouldIgnoreOtherMessageTypes, cancellationToken);

    public new bool TryReceiveOne(out MessageEnvelope envelope, TimeSpan? max = null, CancellationToken cancellationToken = default)
    {
        if (Waits.IsVirtual)
        {
            Waits.AwaitMessage(this, Waits.RemainingOr(max));
            max = TimeSpan.Zero;
        }
        return base.TryReceiveOne(out envelope, max, cancellationToken);
    }

    public new bool TryPeekOne(out MessageEnvelope envelope, TimeSpan? max, CancellationToken cancellationToken)
    {
        if (Waits.IsVirtual)
        {
            Waits.AwaitMessage(this, Waits.RemainingOr(max));
            max = TimeSpan.Zero;
        }
        return base.TryPeekOne(out envelope, max, cancellationToken);
    }
}
