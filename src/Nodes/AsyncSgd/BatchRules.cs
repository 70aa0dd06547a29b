namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// Synchronous minibatch SGD: every worker computes one gradient at x_k; when all M have arrived,
/// x_{k+1} = x_k − η·(1/M) Σ g_i and every worker gets a job at x_{k+1}. A step takes as long as the
/// slowest worker.
/// </summary>
public sealed class MinibatchRule : BatchRule
{
    private readonly bool[] _arrived;

    public MinibatchRule(IReadOnlyList<double> x0, int workers, double eta)
        : base(x0, workers, eta)
    {
        _arrived = new bool[workers];
    }

    public override Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders)
    {
        CheckArrival(worker, version, gradient, orders);
        if (version != Steps || _arrived[worker])
        {
            // Cannot happen with this rule's own orders (one job per worker per round); a foreign
            // gradient must not leak into the round's mean.
            throw new InvalidOperationException($"Minibatch round {Steps} got an unexpected gradient from worker {worker} at version {version}.");
        }
        _arrived[worker] = true;
        if (AddToBatch(gradient) < Workers)
        {
            return new Arrival(ArrivalKind.Buffered, 0, 0);
        }

        Array.Clear(_arrived);
        return Step(preempt: false, orders);
    }
}

/// <summary>
/// Rennala SGD (Tyurin &amp; Richtárik): all workers compute at x_k; each gradient at x_k counts and its
/// worker immediately starts another at x_k; when S have arrived, x_{k+1} = x_k − η·(1/S) Σ g and every
/// worker is preempted onto x_{k+1}. Gradients of an older model are discarded. Fast workers may
/// contribute several gradients to one batch; slow ones none.
/// </summary>
public sealed class RennalaRule : BatchRule
{
    public RennalaRule(IReadOnlyList<double> x0, int workers, double eta, int batch)
        : base(x0, workers, eta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        Batch = batch;
    }

    /// <summary>S: gradients per step.</summary>
    public int Batch { get; }

    public override Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders)
    {
        CheckArrival(worker, version, gradient, orders);
        if (version != Steps)
        {
            // Work started before the last step: its worker was already preempted onto the new model.
            return new Arrival(ArrivalKind.Discarded, Steps - version, 0);
        }
        if (AddToBatch(gradient) < Batch)
        {
            orders.Add(new JobOrder(worker, Steps, false));
            return new Arrival(ArrivalKind.Buffered, 0, 0);
        }

        return Step(preempt: true, orders);
    }
}
