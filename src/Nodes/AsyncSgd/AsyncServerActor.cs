using System.Diagnostics;
using Akka.Actor;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// The parameter server: creates the workers as children, feeds arriving gradients to the method's
/// <see cref="IServerRule"/>, sends the jobs it orders (one shared model snapshot per version), and
/// reports every event to the <see cref="TraceRecorder"/>. Ends the run when the recorder says so or
/// the time budget's timer fires, then stops the workers and calls <c>onDone</c>.
/// </summary>
public sealed class AsyncServerActor : ReceiveActor, IWithTimers
{
    private const string DeadlineTimer = "deadline";

    private readonly AsyncRunOptions _options;
    private readonly IServerRule _rule;
    private readonly TraceRecorder _recorder;
    private readonly WorkerTimes _times;
    private readonly double _secondsPerUnit;
    private readonly Action<double[]> _onDone;
    private readonly Action<Exception> _onFailure;
    private readonly List<JobOrder> _orders = [];
    private IActorRef[] _workers = [];
    private ReadOnlyMemory<double> _snapshot;
    private long _snapshotVersion = -1;
    private TimeSpan _start;
    private bool _finished;

    public AsyncServerActor(
        AsyncRunOptions options,
        IServerRule rule,
        TraceRecorder recorder,
        WorkerTimes times,
        double secondsPerUnit,
        Action<double[]> onDone,
        Action<Exception> onFailure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(onDone);
        ArgumentNullException.ThrowIfNull(onFailure);
        _options = options;
        _rule = rule;
        _recorder = recorder;
        _times = times;
        _secondsPerUnit = secondsPerUnit;
        _onDone = onDone;
        _onFailure = onFailure;
        Receive<AsgdStart>(_ => Guard(OnStart));
        Receive<AsgdGradient>(g => Guard(() => OnGradient(g)));
        Receive<AsgdDeadline>(_ => Guard(OnDeadline));
        Receive<AsgdFailure>(f => Fail(new InvalidOperationException($"Worker {f.Worker} failed: {f.Error.Message}", f.Error)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _workers = new IActorRef[_rule.Workers];
        for (var i = 0; i < _workers.Length; i++)
        {
            var worker = i;
            var oracle = _options.CreateWorkerGradient(worker);
            _workers[i] = Context.ActorOf(
                Props.Create(() => new AsyncWorkerActor(worker, oracle, _times, _secondsPerUnit)),
                $"worker-{worker + 1}");
        }
    }

    private void OnStart()
    {
        _start = Context.System.Scheduler.MonotonicClock;
        _recorder.Begin(_rule.Model);
        if (_recorder.IsDone)
        {
            Finish();
            return;
        }
        if (_options.MaxTime is { } budget)
        {
            var ticks = (long)Math.Round(budget * _secondsPerUnit * TimeSpan.TicksPerSecond);
            Timers.StartSingleTimer(DeadlineTimer, AsgdDeadline.Instance, TimeSpan.FromTicks(ticks));
        }
        _orders.Clear();
        _rule.Start(_orders);
        Dispatch();
    }

    private void OnGradient(AsgdGradient message)
    {
        if (_finished)
        {
            return;
        }
        _orders.Clear();
        var arrival = _rule.OnGradient(message.Worker, message.Version, message.Gradient, _orders);
        var now = Now();
        _recorder.OnArrival(new GradientEvent(now, message.Worker, message.Version, arrival.Delay, arrival.StepSize, arrival.Kind));
        if (arrival.Kind == ArrivalKind.Applied)
        {
            _recorder.OnStep(now, _rule.Steps, arrival.Delay, _rule.Model);
        }
        if (_recorder.GradientBudgetSpent)
        {
            _recorder.OnGradientBudget(now, _rule.Steps, _rule.Model);
        }
        if (_recorder.IsDone)
        {
            Finish();
            return;
        }
        Dispatch();
    }

    private void OnDeadline()
    {
        if (_finished)
        {
            return;
        }
        _recorder.OnDeadline(Now(), _rule.Steps, _rule.Model);
        Finish();
    }

    private void Dispatch()
    {
        foreach (var order in _orders)
        {
            Debug.Assert(order.Version == _rule.Steps, "Rules only issue jobs at the current model.");
            if (_snapshotVersion != _rule.Steps)
            {
                _snapshot = _rule.Model.ToArray();
                _snapshotVersion = _rule.Steps;
            }
            _workers[order.Worker].Tell(new AsgdJob(order.Version, _snapshot, order.Preempt), Self);
        }
    }

    private double Now() => (Context.System.Scheduler.MonotonicClock - _start).Ticks / (double)TimeSpan.TicksPerSecond / _secondsPerUnit;

    private void Finish()
    {
        _finished = true;
        Timers.CancelAll();
        foreach (var worker in _workers)
        {
            Context.Stop(worker);
        }
        _onDone(_rule.Model.ToArray());
    }

    private void Guard(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            Fail(e);
        }
    }

    private void Fail(Exception error)
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        Timers.CancelAll();
        foreach (var worker in _workers)
        {
            Context.Stop(worker);
        }
        _onFailure(error);
    }
}
