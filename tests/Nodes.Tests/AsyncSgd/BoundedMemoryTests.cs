using Decentral.Nodes.AsyncSgd;
using Decentral.Simulation;
using static Decentral.Nodes.Tests.AsyncSgd.AsyncProblems;

namespace Decentral.Nodes.Tests.AsyncSgd;

/// <summary>Issue 15 item 4: a long run keeps counters, not its gradient events.</summary>
public sealed class BoundedMemoryTests
{
    /// <summary>Passes every call to the real rule and measures the live heap at two points of the run.</summary>
    private sealed class Probe(IServerRule inner, long early, long late) : IServerRule
    {
        public long HeapEarly { get; private set; }

        public long HeapLate { get; private set; }

        public int Workers => inner.Workers;

        public long Steps => inner.Steps;

        public ReadOnlySpan<double> Model => inner.Model;

        public void Start(List<JobOrder> orders) => inner.Start(orders);

        public Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders)
        {
            var arrival = inner.OnGradient(worker, version, gradient, orders);
            if (inner.Steps == early && HeapEarly == 0)
            {
                HeapEarly = GC.GetTotalMemory(forceFullCollection: true);
            }
            else if (inner.Steps == late && HeapLate == 0)
            {
                HeapLate = GC.GetTotalMemory(forceFullCollection: true);
            }
            return arrival;
        }
    }

    [Fact]
    public void A_million_simulated_gradient_events_run_in_bounded_memory()
    {
        const long events = 1_000_000;
        var options = Options(FixedTimes(LeastSquaresData(), [1.0, 1.7, 2.3]), AsyncMethod.Pure, 3, 0.01, steps: events) with
        {
            KeepEvents = false,
            TraceEvery = 0, // automatic: about 500 samples whatever the length
        };
        Probe? probe = null;

        var result = AsyncSgdRunner.Run(options, times => probe = new Probe(options.CreateServerRule(times), 100_000, 900_000));

        Assert.Equal(RunEnd.StepBudget, result.End);
        Assert.Equal(events, result.Steps);
        Assert.Equal(events, result.Delays.Count);
        Assert.True(result.Arrivals >= events);
        Assert.Empty(result.Events);
        Assert.InRange(result.Samples.Count, 400, 600);
        // 800,000 more events between the probes: kept as events they would take ≥ 40 MB (48 bytes each).
        var growth = probe!.HeapLate - probe.HeapEarly;
        Assert.True(growth < 4_000_000, $"the heap grew by {growth:N0} bytes over 800,000 gradient events");
    }

    [Fact]
    public void A_gradient_budget_ends_the_run_after_that_many_arrivals()
    {
        var options = Options(FixedTimes(LeastSquaresData(), [1.0, 2.0, 3.0]), AsyncMethod.Minibatch, 3, 0.05) with { MaxGradients = 31 };

        var result = AsyncSgdRunner.Run(options);

        Assert.Equal(RunEnd.GradientBudget, result.End);
        Assert.Equal(31, result.Arrivals);
        Assert.Equal(10, result.Steps); // minibatch: one step per 3 gradients
        Assert.Equal(31, result.Samples[^1].Gradients);
        Assert.Equal(result.Arrivals, result.ArrivalsByKind.Sum());
        Assert.Equal(10, result.ArrivalsOf(ArrivalKind.Applied));
        Assert.Equal(21, result.ArrivalsOf(ArrivalKind.Buffered));
        Assert.Equal(result.Events.Count, result.Arrivals);
    }
}
