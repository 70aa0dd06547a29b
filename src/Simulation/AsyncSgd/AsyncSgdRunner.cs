using Akka.Actor;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Runtime;

namespace Decentral.Simulation;

/// <summary>
/// Runs one method with one step size: a server actor with n worker children in one Akka actor
/// system, under the deterministic simulator (virtual time; same options ⇒ identical result) or on
/// Akka's thread pool in real time. The actors are the same classes in both.
/// </summary>
public static class AsyncSgdRunner
{
    public static AsyncRunResult Run(AsyncRunOptions options) => Run(options, null);

    /// <summary>
    /// Runs with a server rule of the caller's making instead of <see cref="AsyncRunOptions.Method"/>'s
    /// (e.g. a scripted job assignment); it must start at the problem's x₀ with the options' worker count.
    /// </summary>
    public static AsyncRunResult Run(AsyncRunOptions options, Func<WorkerTimes, IServerRule>? createRule)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var times = options.CreateWorkerTimes();
        var rule = createRule is null ? options.CreateServerRule(times) : createRule(times);
        if (rule.Workers != options.Workers)
        {
            throw new ArgumentException($"The server rule has {rule.Workers} workers, the options {options.Workers}.", nameof(createRule));
        }
        var recorder = new TraceRecorder(options.Problem.GlobalObjective(), options.MaxSteps, options.MaxTime, options.TraceEvery, options.DivergenceFactor, options.TracePoints, options.MaxGradients, options.KeepEvents);
        var final = options.Clock == RunClock.Virtual
            ? RunVirtual(options, rule, recorder, times)
            : RunReal(options, rule, recorder, times);
        return recorder.ToResult(options, final);
    }

    private static double[] RunVirtual(AsyncRunOptions options, IServerRule rule, TraceRecorder recorder, WorkerTimes times)
    {
        using var simulator = new Simulator(unchecked((long)options.Problem.Seed));
        var system = simulator.CreateSystem("asgd");
        double[]? final = null;
        Exception? failure = null;
        Action<double[]> onDone = m => final = m;
        Action<Exception> onFailure = e => failure = e;
        var server = system.ActorOf(
            Props.Create(() => new AsyncServerActor(options, rule, recorder, times, 1.0, onDone, onFailure)),
            "server");
        server.Tell(AsgdStart.Instance, ActorRefs.NoSender);
        var finished = simulator.RunUntil(() => final is not null || failure is not null, TimeSpan.MaxValue, int.MaxValue);
        if (failure is not null)
        {
            throw new InvalidOperationException($"The {options.Method} run failed: {failure.Message}", failure);
        }
        return finished && final is not null
            ? final
            : throw new InvalidOperationException(
                $"The {options.Method} run stalled after {recorder.Steps} steps at model time {recorder.Time}: no worker had work left.");
    }

    private static double[] RunReal(AsyncRunOptions options, IServerRule rule, TraceRecorder recorder, WorkerTimes times)
    {
        var host = new RealTimeHost();
        var system = host.CreateSystem("asgd");
        var done = new TaskCompletionSource<double[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var server = system.ActorOf(
                Props.Create(() => new AsyncServerActor(
                    options, rule, recorder, times, options.RealSecondsPerUnit, m => done.TrySetResult(m), e => done.TrySetException(e))),
                "server");
            server.Tell(AsgdStart.Instance, ActorRefs.NoSender);
            try
            {
                return done.Task.WaitAsync(options.RealTimeout).GetAwaiter().GetResult();
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"The real-time {options.Method} run did not finish within {options.RealTimeout}.", e);
            }
        }
        finally
        {
            host.Terminate([system], null);
        }
    }
}
