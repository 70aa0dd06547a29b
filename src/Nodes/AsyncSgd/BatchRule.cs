using System.Numerics.Tensors;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// What the batch rules share: the model, the sum of the current batch's gradients, and the step
/// x_{k+1} = x_k − η·(1/|batch|) Σ g that ends a batch and sends every worker to x_{k+1}. A subclass
/// decides which arriving gradients join the batch and when it is full.
/// </summary>
public abstract class BatchRule : IServerRule
{
    private readonly double[] _x;
    private readonly double[] _sum;
    private int _count;

    private protected BatchRule(IReadOnlyList<double> x0, int workers, double eta)
    {
        _x = ServerRuleChecks.Start(x0, workers);
        Eta = StepRules.CheckPositive(eta, nameof(eta));
        Workers = workers;
        _sum = new double[_x.Length];
    }

    public int Workers { get; }

    public double Eta { get; }

    public long Steps { get; private set; }

    public ReadOnlySpan<double> Model => _x;

    public void Start(List<JobOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        OrderAll(preempt: false, orders);
    }

    public abstract Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders);

    private protected void CheckArrival(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders) =>
        ServerRuleChecks.Arrival(Workers, Steps, _x.Length, worker, version, gradient, orders);

    /// <summary>Adds <paramref name="gradient"/> to the batch; returns how many gradients the batch holds now.</summary>
    private protected int AddToBatch(ReadOnlySpan<double> gradient)
    {
        TensorPrimitives.Add(_sum, gradient, _sum);
        return ++_count;
    }

    /// <summary>Steps with the batch's mean gradient, empties the batch and orders every worker onto the new model.</summary>
    private protected Arrival Step(bool preempt, List<JobOrder> orders)
    {
        TensorPrimitives.MultiplyAdd(_sum, -Eta / _count, _x, _x);
        Steps++;
        _sum.AsSpan().Clear();
        _count = 0;
        OrderAll(preempt, orders);
        return new Arrival(ArrivalKind.Applied, 0, Eta);
    }

    private void OrderAll(bool preempt, List<JobOrder> orders)
    {
        for (var w = 0; w < Workers; w++)
        {
            orders.Add(new JobOrder(w, Steps, preempt));
        }
    }
}
