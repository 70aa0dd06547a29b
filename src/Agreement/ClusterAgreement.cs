namespace Decentral.Agreement;

/// <summary>What one <see cref="ClusterAgreement.Step"/> did.</summary>
public enum ClusterStepKind
{
    Write,
    Read,
}

/// <summary>
/// ClusterApproximateAgreement for one member, as a step-wise state machine: every <see cref="Step"/>
/// performs exactly one register operation (write the own slot, or read one other slot of a collect), so a
/// scheduler can interleave members arbitrarily and crash them by no longer stepping them.
/// <code>
/// r ← 1; A[i] ← ⟨x, 1⟩
/// while r &lt; K:
///   collect A; rmax ← largest round seen
///   if r = rmax: A[i] ← ⟨Aggregate(values of round rmax), r + 1⟩; r ← r + 1
///   else r ← rmax                       (skip to the highest round seen)
/// return a value of round K (own if written, else the lowest slot seen holding round K)
/// </code>
/// Wait-free: r strictly increases in every loop iteration, an iteration costs s − 1 reads (the own slot is
/// known locally) and at most one write, so a member finishes within <see cref="StepBound"/> =
/// 1 + (K − 1)·s of its own steps whatever the others do.
/// </summary>
public sealed class ClusterAgreement
{
    /// <summary>Default number of in-cluster rounds K.</summary>
    public const int DefaultRounds = 3;

    private readonly IAggregationRule rule;
    private readonly RegisterEntry?[] collected;
    private Phase phase = Phase.Initial;
    private int nextRead;
    private RegisterEntry own;
    private RegisterEntry? pending;

    public ClusterAgreement(
        int slot, int clusterSize, ReadOnlyMemory<double> input, int rounds = DefaultRounds, IAggregationRule? rule = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusterSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, clusterSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        if (input.IsEmpty)
        {
            throw new ArgumentException("The input vector is empty.", nameof(input));
        }

        if (!VectorMath.AllFinite(input.Span))
        {
            throw new ArgumentException("The input vector contains NaN or Infinity.", nameof(input));
        }

        Slot = slot;
        ClusterSize = clusterSize;
        Rounds = rounds;
        this.rule = rule ?? MidExtremes.Instance;
        collected = new RegisterEntry?[clusterSize];
        var unit = new double[clusterSize];
        unit[slot] = 1;
        own = new RegisterEntry(input, 1, unit);
    }

    private enum Phase
    {
        Initial,
        Collect,
        Write,
        Done,
    }

    public int Slot { get; }

    public int ClusterSize { get; }

    /// <summary>K, the number of in-cluster rounds.</summary>
    public int Rounds { get; }

    /// <summary>r, the current in-cluster round (0 before the first step).</summary>
    public int Round { get; private set; }

    /// <summary>Register operations performed so far.</summary>
    public int Steps { get; private set; }

    /// <summary>How many times the member skipped ahead to a higher round it saw.</summary>
    public int Skips { get; private set; }

    public bool IsDone => phase == Phase.Done;

    /// <summary>The output once <see cref="IsDone"/>; empty before.</summary>
    public ReadOnlyMemory<double> Output { get; private set; }

    /// <summary>
    /// Convex weights of <see cref="Output"/> over the members' inputs (index = slot), when the rule provides
    /// weights; empty otherwise. Slots whose member never wrote its input have weight 0.
    /// </summary>
    public ReadOnlyMemory<double> OutputWeights { get; private set; }

    public int MaxSteps => StepBound(ClusterSize, Rounds);

    /// <summary>Wait-free bound on one member's register operations: 1 + (K − 1)·s.</summary>
    public static int StepBound(int clusterSize, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusterSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        return 1 + ((rounds - 1) * clusterSize);
    }

    /// <summary>Performs the member's next register operation.</summary>
    public ClusterStepKind Step(IRegisterArray registers)
    {
        ArgumentNullException.ThrowIfNull(registers);
        if (registers.Count != ClusterSize)
        {
            throw new ArgumentException(
                $"The register array has {registers.Count} slots but the cluster has {ClusterSize} members.",
                nameof(registers));
        }

        ClusterStepKind kind;
        switch (phase)
        {
            case Phase.Initial:
                registers.Write(Slot, own);
                Round = 1;
                kind = ClusterStepKind.Write;
                AfterWrite();
                break;
            case Phase.Write:
                if (pending is null)
                {
                    throw Invariant.Violated("cluster-aa.pending-write", $"member {Slot} is in its write phase without a value to write");
                }

                registers.Write(Slot, pending);
                own = pending;
                pending = null;
                Round++;
                kind = ClusterStepKind.Write;
                AfterWrite();
                break;
            case Phase.Collect:
                collected[nextRead] = registers.Read(nextRead);
                kind = ClusterStepKind.Read;
                nextRead = NextSlot(nextRead + 1);
                if (nextRead == ClusterSize)
                {
                    Decide();
                }

                break;
            default:
                throw new InvalidOperationException("The member has already produced its output.");
        }

        Steps++;
        if (Steps > MaxSteps)
        {
            throw Invariant.Violated("cluster-aa.step-bound", $"member {Slot} took {Steps} register steps, above the wait-free bound {MaxSteps}");
        }

        return kind;
    }

    private void AfterWrite()
    {
        if (Round == Rounds)
        {
            Finish(own);
        }
        else
        {
            StartCollect();
        }
    }

    private void StartCollect()
    {
        Array.Clear(collected);
        nextRead = NextSlot(0);
        phase = Phase.Collect;
        if (nextRead == ClusterSize)
        {
            // A cluster of one has nothing to read: decide at once, the next step writes.
            Decide();
        }
    }

    private int NextSlot(int from) => from == Slot ? from + 1 : from;

    private void Decide()
    {
        collected[Slot] = own;
        var rmax = 0;
        foreach (var e in collected)
        {
            if (e is not null && e.Round > rmax)
            {
                rmax = e.Round;
            }
        }

        if (rmax < Round)
        {
            throw Invariant.Violated("cluster-aa.slots-forward", $"member {Slot} in round {Round} collected at most round {rmax}, although its own slot holds round {Round}");
        }

        if (rmax > Round)
        {
            Round = rmax;
            Skips++;
            if (Round == Rounds)
            {
                foreach (var e in collected)
                {
                    if (e is not null && e.Round == Rounds)
                    {
                        Finish(e);
                        return;
                    }
                }
            }

            StartCollect();
            return;
        }

        var values = new List<ReadOnlyMemory<double>>(ClusterSize);
        var sources = new List<RegisterEntry>(ClusterSize);
        foreach (var e in collected)
        {
            if (e is not null && e.Round == rmax)
            {
                values.Add(e.Value);
                sources.Add(e);
            }
        }

        var output = new double[own.Value.Length];
        ReadOnlyMemory<double> weights = default;
        if (rule.ProvidesConvexWeights)
        {
            var w = new double[values.Count];
            rule.Aggregate(values, output, w);
            weights = Compose(w, sources);
        }
        else
        {
            rule.Aggregate(values, output, Span<double>.Empty);
        }

        pending = new RegisterEntry(output, Round + 1, weights);
        phase = Phase.Write;
    }

    /// <summary>
    /// Weights over the members' inputs: Σ_i w[i]·(weights of source i); empty when a source carries none
    /// (entries written by code that does not track them).
    /// </summary>
    private ReadOnlyMemory<double> Compose(ReadOnlySpan<double> w, List<RegisterEntry> sources)
    {
        var result = new double[ClusterSize];
        for (var i = 0; i < sources.Count; i++)
        {
            var sw = sources[i].Weights.Span;
            if (sw.Length != ClusterSize)
            {
                return ReadOnlyMemory<double>.Empty;
            }

            VectorMath.Axpy(w[i], sw, result);
        }

        return result;
    }

    private void Finish(RegisterEntry entry)
    {
        Output = entry.Value;
        OutputWeights = entry.Weights;
        phase = Phase.Done;
    }
}
