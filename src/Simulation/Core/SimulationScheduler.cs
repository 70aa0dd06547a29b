using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Decentral.Simulation;

/// <summary>
/// Akka's <see cref="IScheduler"/> under the simulation: every timer, scheduled Tell and callback of
/// every actor system of one <see cref="Simulator"/> lands in the simulator's one virtual-time queue.
/// Akka creates it through the <c>(Config, ILoggingAdapter)</c> constructor; the configuration names
/// the simulator (<c>decentral.simulation.id</c>). It deliberately does not implement
/// <c>IDateTimeOffsetNowTimeProvider</c>: with it, Akka would cancel timers on a wall-clock token.
/// </summary>
public sealed class SimulationScheduler : IScheduler, IAdvancedScheduler
{
    public SimulationScheduler(Config config, ILoggingAdapter log)
    {
        ArgumentNullException.ThrowIfNull(config);
        Simulator = SimulatorRegistry.Get(config.GetString(Simulator.IdKey, string.Empty));
    }

    /// <summary>The simulation whose clock and queue this scheduler uses.</summary>
    public Simulator Simulator { get; }

    public DateTimeOffset Now => Simulator.Epoch + Simulator.Now;

    public TimeSpan MonotonicClock => Simulator.Now;

    public TimeSpan HighResMonotonicClock => Simulator.Now;

    public IAdvancedScheduler Advanced => this;

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender) =>
        Simulator.AddTimer(delay, TimeSpan.Zero, TimerWork.Tell(receiver, message, sender), null);

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Simulator.AddTimer(delay, TimeSpan.Zero, TimerWork.Tell(receiver, message, sender), cancelable);

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender) =>
        Simulator.AddTimer(initialDelay, Positive(interval), TimerWork.Tell(receiver, message, sender), null);

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Simulator.AddTimer(initialDelay, Positive(interval), TimerWork.Tell(receiver, message, sender), cancelable);

    public void ScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Simulator.AddTimer(delay, TimeSpan.Zero, TimerWork.Call(action), cancelable);

    public void ScheduleOnce(TimeSpan delay, Action action) =>
        Simulator.AddTimer(delay, TimeSpan.Zero, TimerWork.Call(action), null);

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Simulator.AddTimer(initialDelay, Positive(interval), TimerWork.Call(action), cancelable);

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action) =>
        Simulator.AddTimer(initialDelay, Positive(interval), TimerWork.Call(action), null);

    public void ScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Simulator.AddTimer(delay, TimeSpan.Zero, TimerWork.Run(action), cancelable);

    public void ScheduleOnce(TimeSpan delay, IRunnable action) =>
        Simulator.AddTimer(delay, TimeSpan.Zero, TimerWork.Run(action), null);

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Simulator.AddTimer(initialDelay, Positive(interval), TimerWork.Run(action), cancelable);

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action) =>
        Simulator.AddTimer(initialDelay, Positive(interval), TimerWork.Run(action), null);

    private static TimeSpan Positive(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(interval));
        return interval;
    }
}

/// <summary>What a simulated timer does when it fires: a Tell, a callback or a runnable.</summary>
internal sealed class TimerWork
{
    private TimerWork(ICanTell? receiver, object? message, IActorRef? sender, Action? action, IRunnable? runnable)
    {
        Receiver = receiver;
        Message = message;
        Sender = sender;
        Action = action;
        Runnable = runnable;
    }

    public ICanTell? Receiver { get; }

    public object? Message { get; }

    public IActorRef? Sender { get; }

    public Action? Action { get; }

    public IRunnable? Runnable { get; }

    public static TimerWork Tell(ICanTell receiver, object message, IActorRef sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        return new TimerWork(receiver, message, sender, null, null);
    }

    public static TimerWork Call(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new TimerWork(null, null, null, action, null);
    }

    public static TimerWork Run(IRunnable runnable)
    {
        ArgumentNullException.ThrowIfNull(runnable);
        return new TimerWork(null, null, null, null, runnable);
    }

    public void Fire()
    {
        if (Receiver is not null)
        {
            Receiver.Tell(Message!, Sender ?? ActorRefs.NoSender);
        }
        else if (Action is not null)
        {
            Action();
        }
        else
        {
            Runnable!.Run();
        }
    }
}
