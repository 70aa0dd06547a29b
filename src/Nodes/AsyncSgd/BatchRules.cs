using System.Diagnostics;
using System.Numerics.Tensors;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// Synchronous minibatch SGD: every worker computes one gradient at x_k; when all M have arrived,
/// x_{k+1} = x_k − η·(1/M) Σ g_i and every worker gets a job at x_{k+1}. A step takes as long as the
/// slowest worker.
/// </summary>
public sealed class MinibatchRule : IServerRule
{
    private readonly double[] _x;
    private readonly double[] _sum;
    private readonly bool[] _arrived;
    private int _count;

    public MinibatchRule(IReadOnlyList<double> x0, int workers, double eta)
    {
        _x = ServerRuleChecks.Start(x0, workers);
        Eta = StepRules.CheckPositive(eta, nameof(eta));
        Workers = workers;
        _sum = new double[_x.Length];
        _arrived = new bool[workers];
    }

    public int Workers { get; }

    public double Eta { get; }

    public long Steps { get; private set; }

    public ReadOnlySpan<double> Model => _x;

    public void Start(List<JobOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        BatchRuleShared.OrderAll(Workers, 0, false, orders);
    }

    public Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders)
    {
        ServerRuleChecks.Arrival(Workers, Steps, _x.Length, worker, version, gradient, orders);
        if (version != Steps || _arrived[worker])
        {
            // Cannot happen with this rule's own orders (one job per worker per round); a foreign
            // gradient must not leak into the round's mean.
            throw new InvalidOperationException($"Minibatch round {Steps} got an unexpected gradient from worker {worker} at version {version}.");
        }
        _arrived[worker] = true;
        TensorPrimitives.Add(_sum, gradient, _sum);
        if (++_count < Workers)
        {
            return new Arrival(ArrivalKind.Buffered, 0, 0);
        }

        TensorPrimitives.MultiplyAdd(_sum, -Eta / Workers, _x, _x);
        Steps++;
        _sum.AsSpan().Clear();
        Array.Clear(_arrived);
        _count = 0;
        BatchRuleShared.OrderAll(Workers, Steps, false, orders);
        return new Arrival(ArrivalKind.Applied, 0, Eta);
    }
}

/// <summary>
/// Rennala SGD (Tyurin &amp; Richtárik): all workers compute at x_k; each gradient at x_k counts and its
/// worker immediately starts another at x_k; when S have arrived, x_{k+1} = x_k − η·(1/S) Σ g and every
/// worker is preempted onto x_{k+1}. Gradients of an older model are discarded. Fast workers may
/// contribute several gradients to one batch; slow ones none.
/// </summary>
public sealed class RennalaRule : IServerRule
{
    private readonly double[] _x;
    private readonly double[] _sum;
    private int _count;

    public RennalaRule(IReadOnlyList<double> x0, int workers, double eta, int batch)
    {
        _x = ServerRuleChecks.Start(x0, workers);
        Eta = StepRules.CheckPositive(eta, nameof(eta));
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        Workers = workers;
        Batch = batch;
        _sum = new double[_x.Length];
    }

    public int Workers { get; }

    public double Eta { get; }

    /// <summary>S: gradients per step.</summary>
    public int Batch { get; }

    public long Steps { get; private set; }

    public ReadOnlySpan<double> Model => _x;

    public void Start(List<JobOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        BatchRuleShared.OrderAll(Workers, 0, false, orders);
    }

    public Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders)
    {
        ServerRuleChecks.Arrival(Workers, Steps, _x.Length, worker, version, gradient, orders);
        if (version != Steps)
        {
            // Work started before the last step: its worker was already preempted onto the new model.
            return new Arrival(ArrivalKind.Discarded, Steps - version, 0);
        }
        TensorPrimitives.Add(_sum, gradient, _sum);
        if (++_count < Batch)
        {
            orders.Add(new JobOrder(worker, Steps, false));
            return new Arrival(ArrivalKind.Buffered, 0, 0);
        }

        TensorPrimitives.MultiplyAdd(_sum, -Eta / Batch, _x, _x);
        Steps++;
        _sum.AsSpan().Clear();
        _count = 0;
        BatchRuleShared.OrderAll(Workers, Steps, true, orders);
        return new Arrival(ArrivalKind.Applied, 0, Eta);
    }
}

internal static class BatchRuleShared
{
    public static void OrderAll(int workers, long version, bool preempt, List<JobOrder> orders)
    {
        Debug.Assert(workers >= 1);
        for (var w = 0; w < workers; w++)
        {
            orders.Add(new JobOrder(w, version, preempt));
        }
    }
}
