using Akka.Actor;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// A worker: takes jobs from the server, works them off one at a time in arrival order, each taking
/// its compute time on the system's clock (a timer — virtual under the simulation), and sends back
/// the gradient at the job's model. The queue and its rules live in <see cref="WorkerJobQueue"/>.
/// </summary>
public sealed class AsyncWorkerActor : ReceiveActor, IWithTimers
{
    private const string ComputeTimer = "compute";

    private readonly int _worker;
    private readonly WorkerGradient _oracle;
    private readonly WorkerTimes _times;
    private readonly double _secondsPerUnit;
    private readonly WorkerJobQueue _queue = new();
    private IActorRef? _server;

    /// <param name="secondsPerUnit">Clock seconds per model time unit (1 under the simulation).</param>
    public AsyncWorkerActor(int worker, WorkerGradient oracle, WorkerTimes times, double secondsPerUnit)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(times);
        _worker = worker;
        _oracle = oracle;
        _times = times;
        _secondsPerUnit = secondsPerUnit;
        Receive<AsgdJob>(OnJob);
        Receive<AsgdComputeDone>(OnComputeDone);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void OnJob(AsgdJob job)
    {
        _server = Sender;
        if (_queue.Offer(job))
        {
            // Starting the timer under the same key replaces (cancels) an abandoned job's timer.
            StartCurrent();
        }
    }

    private void OnComputeDone(AsgdComputeDone done)
    {
        if (done.Job != _queue.CurrentIndex || _server is null)
        {
            return; // a preempted job's timer: its work was discarded
        }
        var job = _queue.Finish(out var startedNext);
        var gradient = new double[_oracle.Dimension];
        try
        {
            _oracle.Compute(job.Model.Span, done.Job, gradient);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            _server.Tell(new AsgdFailure(_worker, e), Self);
            return;
        }
        _server.Tell(new AsgdGradient(_worker, job.Version, done.Job, gradient), Self);
        if (startedNext)
        {
            StartCurrent();
        }
    }

    private void StartCurrent()
    {
        var seconds = _times.Seconds(_worker, _queue.CurrentIndex) * _secondsPerUnit;
        var delay = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        Timers.StartSingleTimer(ComputeTimer, new AsgdComputeDone(_queue.CurrentIndex), delay);
    }
}
