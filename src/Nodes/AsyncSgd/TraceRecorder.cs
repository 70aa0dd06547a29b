using Decentral.Nodes.Objectives;
using System.Numerics.Tensors;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// Records a run in memory that does not grow with its length: counters of the gradient events (by
/// kind, and a <see cref="DelayHistogram"/> of the applied delays; every event only when asked to keep
/// them), and ‖∇f(x)‖, f(x) of the global objective at the start, every <c>traceEvery</c> server steps —
/// or, automatically, every budget/<c>points</c> steps, model time and gradients — and at the end.
/// Decides when the run is over: step, time or gradient budget spent, or divergence.
/// Lives inside the server actor; read it only after the run is done.
/// </summary>
public sealed class TraceRecorder
{
    private readonly IObjective _global;
    private readonly double[] _gradient;
    private readonly List<TraceSample> _samples = [];
    private readonly List<GradientEvent>? _events;
    private readonly long[] _byKind = new long[Enum.GetValues<ArrivalKind>().Length];
    private readonly DelayHistogram _delays = new();
    private readonly long? _maxSteps;
    private readonly long? _maxGradients;
    private readonly long _stepStride;
    private readonly long _gradientStride;
    private readonly double _timeStride;
    private readonly double _divergenceFactor;
    private double _divergenceBound = double.PositiveInfinity;
    private long _lastSampleStep;
    private double _lastSampleTime;
    private long _lastSampleGradients;
    private long _lastDelay;

    public TraceRecorder(
        IObjective global, long? maxSteps, double? maxTime, int traceEvery = 0, double divergenceFactor = 1e8, int points = AsyncRunOptions.DefaultTracePoints,
        long? maxGradients = null, bool keepEvents = false)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentOutOfRangeException.ThrowIfNegative(traceEvery);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        _global = global;
        _gradient = new double[global.Dimension];
        _maxSteps = maxSteps;
        _maxGradients = maxGradients;
        _divergenceFactor = divergenceFactor;
        _events = keepEvents ? [] : null;
        _stepStride = traceEvery > 0 ? traceEvery
            : maxSteps is { } s ? Math.Max(1, (s + points - 1) / points)
            : long.MaxValue;
        _gradientStride = traceEvery == 0 && maxGradients is { } g ? Math.Max(1, (g + points - 1) / points) : long.MaxValue;
        _timeStride = traceEvery == 0 && maxTime is { } t ? t / points : double.PositiveInfinity;
    }

    public IReadOnlyList<TraceSample> Samples => _samples;

    /// <summary>Every event when kept (see the constructor), else empty.</summary>
    public IReadOnlyList<GradientEvent> Events => (IReadOnlyList<GradientEvent>?)_events ?? [];

    /// <summary>Gradients that reached the server so far.</summary>
    public long Arrivals { get; private set; }

    public DelayHistogram Delays => _delays;

    public RunEnd? End { get; private set; }

    public bool IsDone => End is not null;

    public long Steps { get; private set; }

    public double Time { get; private set; }

    /// <summary>Samples x₀ at time 0.</summary>
    public void Begin(ReadOnlySpan<double> x0)
    {
        if (_samples.Count > 0)
        {
            throw new InvalidOperationException("The recorder has already begun.");
        }
        var first = Sample(0, 0, 0, x0);
        _divergenceBound = _divergenceFactor * Math.Max(first.GradientNorm, 1);
        CheckDivergence(first);
    }

    public void OnArrival(in GradientEvent arrival)
    {
        Arrivals++;
        _byKind[(int)arrival.Kind]++;
        if (arrival.Kind == ArrivalKind.Applied)
        {
            _delays.Add(arrival.Delay);
            _lastDelay = arrival.Delay;
        }
        _events?.Add(arrival);
    }

    /// <summary>After server step <paramref name="step"/> (1-based) at model time <paramref name="time"/>.</summary>
    public void OnStep(double time, long step, long delay, ReadOnlySpan<double> x)
    {
        if (IsDone)
        {
            return;
        }
        Steps = step;
        Time = time;
        var last = step >= _maxSteps;
        if (last || step - _lastSampleStep >= _stepStride || time - _lastSampleTime >= _timeStride || Arrivals - _lastSampleGradients >= _gradientStride)
        {
            var sample = Sample(time, step, delay, x);
            if (!CheckDivergence(sample) && last)
            {
                End = RunEnd.StepBudget;
            }
        }
    }

    /// <summary>True once the gradient budget is spent (the server then calls <see cref="OnGradientBudget"/>).</summary>
    public bool GradientBudgetSpent => Arrivals >= _maxGradients;

    /// <summary>The gradient budget is spent: the model as it stands is the result.</summary>
    public void OnGradientBudget(double time, long steps, ReadOnlySpan<double> x) => Close(time, steps, x, RunEnd.GradientBudget);

    /// <summary>The time budget is spent: the model as it stands is the result.</summary>
    public void OnDeadline(double time, long steps, ReadOnlySpan<double> x) => Close(time, steps, x, RunEnd.TimeBudget);

    public AsyncRunResult ToResult(AsyncRunOptions options, double[] finalModel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(finalModel);
        return new AsyncRunResult
        {
            Options = options,
            Samples = _samples,
            Events = Events,
            Arrivals = Arrivals,
            ArrivalsByKind = _byKind,
            Delays = _delays,
            FinalModel = finalModel,
            Steps = Steps,
            Time = Time,
            End = End ?? throw new InvalidOperationException("The run has not ended."),
        };
    }

    private void Close(double time, long steps, ReadOnlySpan<double> x, RunEnd end)
    {
        if (IsDone)
        {
            return;
        }
        Steps = steps;
        Time = time;
        var last = _samples[^1];
        var sample = last.Step != steps || last.Time != time || last.Gradients != Arrivals ? Sample(time, steps, _lastDelay, x) : last;
        if (!CheckDivergence(sample))
        {
            End = end;
        }
    }

    private TraceSample Sample(double time, long step, long delay, ReadOnlySpan<double> x)
    {
        var value = _global.Gradient(x, _gradient);
        var sample = new TraceSample(time, step, TensorPrimitives.Norm(_gradient), value, delay, Arrivals);
        _samples.Add(sample);
        _lastSampleStep = step;
        _lastSampleTime = time;
        _lastSampleGradients = Arrivals;
        return sample;
    }

    private bool CheckDivergence(in TraceSample sample)
    {
        if (double.IsFinite(sample.GradientNorm) && double.IsFinite(sample.Value) && sample.GradientNorm <= _divergenceBound)
        {
            return false;
        }
        End = RunEnd.Diverged;
        return true;
    }
}
