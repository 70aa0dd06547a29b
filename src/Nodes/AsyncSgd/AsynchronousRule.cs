using System.Numerics.Tensors;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// Asynchronous SGD: every arriving gradient g (computed at x_v) moves the model at once,
/// x_{k+1} = x_k − η(i, τ)·g with τ = k − v, and one new job at x_{k+1} goes to the worker the
/// assignment rule names. With <see cref="DropDelay"/> = R, gradients with τ ≥ R are ignored and their
/// worker restarts at the current model (Ringmaster ASGD).
/// </summary>
public sealed class AsynchronousRule : IServerRule
{
    private readonly double[] _x;
    private readonly IJobAssignment _assignment;
    private readonly IStepRule _stepRule;

    public AsynchronousRule(IReadOnlyList<double> x0, int workers, IJobAssignment assignment, IStepRule stepRule, long? dropDelay = null)
    {
        _x = ServerRuleChecks.Start(x0, workers);
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(stepRule);
        if (dropDelay is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(r, 1, nameof(dropDelay));
        }
        Workers = workers;
        _assignment = assignment;
        _stepRule = stepRule;
        DropDelay = dropDelay;
    }

    public int Workers { get; }

    public long Steps { get; private set; }

    /// <summary>R of Ringmaster, or null to apply every gradient.</summary>
    public long? DropDelay { get; }

    public ReadOnlySpan<double> Model => _x;

    public void Start(List<JobOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        for (var w = 0; w < Workers; w++)
        {
            orders.Add(new JobOrder(w, 0, false));
        }
    }

    public Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders)
    {
        ServerRuleChecks.Arrival(Workers, Steps, _x.Length, worker, version, gradient, orders);
        var delay = Steps - version;
        if (DropDelay is { } r && delay >= r)
        {
            // Ringmaster: the stale gradient is ignored and its worker restarts at the current model.
            orders.Add(new JobOrder(worker, Steps, false));
            return new Arrival(ArrivalKind.Dropped, delay, 0);
        }

        var eta = _stepRule.StepSize(worker, delay);
        TensorPrimitives.MultiplyAdd(gradient, -eta, _x, _x);
        Steps++;
        orders.Add(new JobOrder(_assignment.Next(worker), Steps, false));
        return new Arrival(ArrivalKind.Applied, delay, eta);
    }
}
