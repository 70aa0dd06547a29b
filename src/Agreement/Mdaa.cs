namespace Decentral.Agreement;

/// <summary>
/// The round state machine of multi-dimensional approximate agreement at one process — the only one in the
/// project: <c>decentral agreement</c> and the agreement campaign (through <see cref="Simulation.MdaaSimulation"/>)
/// and every node of <c>run</c>/<c>simulate</c>/<c>dst</c> (through the decentralized SGD protocol, whose
/// stages — the iteration-t models and the MDAA rounds after them — are consecutive rounds of one instance)
/// run this class.
/// <para>
/// Feed it every ⟨round, sender, value⟩ received, the own message included (<see cref="Offer"/>); it
/// validates, de-duplicates senders, keeps at most one value per cluster where the schedule says so,
/// buffers future rounds, and completes a round when a quorum for it is held (<see cref="TryComplete"/>):
/// the highest such round at or after <see cref="CurrentRound"/>, which skips every round before it.
/// <see cref="Receive"/> is both in one call, completing as soon as a quorum exists (the MDAA simulation);
/// the protocol completes its current stage only after its own value is in, and skips to later ones at once.
/// </para>
/// <para>
/// Bounds: per round at most one value per sender; at most <see cref="MaxBufferedRounds"/> rounds buffered,
/// the current one included. When a message would open one more, the lowest future round is evicted if the
/// new one is higher (or is the current round, which is never refused), otherwise the message is dropped:
/// a lagging process catches up by skipping to the frontier, and a round r is only ever sent after a quorum
/// for r − 1 existed, so the highest rounds are the ones worth keeping. Values are kept by reference, never
/// copied: senders must not mutate a vector after sending it.
/// </para>
/// Every completed round is checked (<see cref="Invariant"/>, names <c>mdaa.*</c>). Not thread-safe; one
/// instance per process and agreement instance.
/// </summary>
public sealed class Mdaa
{
    /// <summary>Default for <see cref="MaxBufferedRounds"/>.</summary>
    public const int DefaultMaxBufferedRounds = 4;

    private readonly ClusterLayout layout;
    private readonly QuorumRule quorum;
    private readonly IMdaaSchedule schedule;
    private readonly Dictionary<int, RoundBuffer> buffers = [];
    private readonly long[] drops = new long[Enum.GetValues<MdaaDropReason>().Length];
    private readonly QuorumTracker checkTracker;

    /// <summary>R rounds numbered 1…R, every one aggregated with <paramref name="rule"/> (MidExtremes by default).</summary>
    public Mdaa(
        ClusterLayout layout,
        QuorumRule quorum,
        int rounds,
        int dimension,
        IAggregationRule? rule = null,
        int maxBufferedRounds = DefaultMaxBufferedRounds,
        bool oneValuePerCluster = false)
        : this(layout, quorum, UniformSchedule(quorum, rounds, rule, oneValuePerCluster), dimension, maxBufferedRounds)
    {
    }

    /// <summary>Rounds <see cref="IMdaaSchedule.FirstRound"/>…<see cref="IMdaaSchedule.LastRound"/> with a rule and a de-duplication rule per round.</summary>
    public Mdaa(
        ClusterLayout layout,
        QuorumRule quorum,
        IMdaaSchedule schedule,
        int dimension,
        int maxBufferedRounds = DefaultMaxBufferedRounds)
        : this(layout, quorum, schedule, dimension, maxBufferedRounds, RoundRules.Faithful)
    {
    }

    /// <summary>The same with the decisions of <paramref name="rules"/> (a planted bug of the simulation, or the faithful ones).</summary>
    internal Mdaa(ClusterLayout layout, QuorumRule quorum, IMdaaSchedule schedule, int dimension, int maxBufferedRounds, RoundRules rules)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(quorum);
        ArgumentNullException.ThrowIfNull(schedule);
        quorum.Validate(layout);
        if (schedule.LastRound < schedule.FirstRound)
        {
            throw new ArgumentException($"The schedule has no round ({schedule.FirstRound}…{schedule.LastRound}).", nameof(schedule));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        // One slot for the round being completed and one above it (see the class remarks).
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedRounds, 2);
        if (quorum.Kind == QuorumKind.Any && (schedule.OneValuePerClusterAt(schedule.FirstRound) || schedule.OneValuePerClusterAt(schedule.LastRound)))
        {
            throw new ArgumentException(
                "One value per cluster needs a cluster-based quorum rule (processes or clusters), not any:M.", nameof(schedule));
        }

        this.layout = layout;
        this.quorum = quorum;
        this.schedule = schedule;
        Dimension = dimension;
        MaxBufferedRounds = maxBufferedRounds;
        Rules = rules ?? throw new ArgumentNullException(nameof(rules));
        CurrentRound = schedule.FirstRound;
        checkTracker = quorum.CreateTracker(layout);
    }

    /// <summary>Number of rounds, <see cref="LastRound"/> − <see cref="FirstRound"/> + 1 (R for the 1…R schedule).</summary>
    public int Rounds => LastRound - FirstRound + 1;

    public int FirstRound => schedule.FirstRound;

    public int LastRound => schedule.LastRound;

    public int Dimension { get; }

    public int MaxBufferedRounds { get; }

    /// <summary>The rule of the last round (for the 1…R schedule, the rule of every round).</summary>
    public IAggregationRule Rule => schedule.RuleAt(schedule.LastRound);

    public IMdaaSchedule Schedule => schedule;

    /// <summary>The decisions a planted bug may bend; <see cref="RoundRules.Faithful"/> outside tests and `decentral dst`.</summary>
    internal RoundRules Rules { get; }

    /// <summary>
    /// Whether the last round keeps only the first value received from each cluster ("a process represents
    /// its whole cluster"); see <see cref="IMdaaSchedule.OneValuePerClusterAt"/>.
    /// </summary>
    public bool OneValuePerCluster => schedule.OneValuePerClusterAt(schedule.LastRound);

    public long RepresentedCount { get; private set; }

    /// <summary>The round whose quorum the instance waits for; <see cref="LastRound"/> + 1 once finished.</summary>
    public int CurrentRound { get; private set; }

    public bool IsFinished => CurrentRound > LastRound;

    /// <summary>Rounds jumped over in total (a completion of round r' while waiting for r adds r' − r).</summary>
    public int SkippedRounds { get; private set; }

    /// <summary>The value of the last round once finished; empty before.</summary>
    public ReadOnlyMemory<double> Output { get; private set; }

    public long DuplicateCount { get; private set; }

    public long StaleCount { get; private set; }

    /// <summary>Rounds buffered right now, the current one included (at most <see cref="MaxBufferedRounds"/>).</summary>
    public int BufferedRounds => buffers.Count;

    /// <summary>Number of distinct future rounds currently buffered.</summary>
    public int BufferedFutureRounds
    {
        get
        {
            var count = 0;
            foreach (var round in buffers.Keys)
            {
                count += round > CurrentRound ? 1 : 0;
            }

            return count;
        }
    }

    public long DroppedCount(MdaaDropReason reason) => drops[(int)reason];

    public long TotalDropped
    {
        get
        {
            long total = 0;
            foreach (var d in drops)
            {
                total += d;
            }

            return total;
        }
    }

    /// <summary>Distinct senders held for <paramref name="round"/> (0 when none or not buffered).</summary>
    public int SendersHeld(int round) => buffers.TryGetValue(round, out var b) ? b.Tracker.Count : 0;

    /// <summary>Whether the values held for <paramref name="round"/> form a quorum.</summary>
    public bool HasQuorum(int round) => buffers.TryGetValue(round, out var b) && IsComplete(b);

    /// <summary>
    /// <see cref="Offer"/>, then <see cref="TryComplete"/> with the current round included: a round completes
    /// the moment a quorum for it is held.
    /// </summary>
    public MdaaOutcome Receive(int round, ProcessId sender, ReadOnlyMemory<double> value)
    {
        var outcome = Offer(round, sender, value);
        if (outcome.Status != MdaaStatus.Accepted)
        {
            return outcome;
        }

        return TryComplete(includeCurrent: true) is { } advance
            ? new MdaaOutcome(MdaaStatus.Advanced, Advance: advance)
            : outcome;
    }

    /// <summary>
    /// Validates and stores one message; never completes a round. <see cref="MdaaStatus.Accepted"/> when
    /// stored; otherwise why not (stale, duplicate, represented by its cluster, or dropped with a reason).
    /// </summary>
    public MdaaOutcome Offer(int round, ProcessId sender, ReadOnlyMemory<double> value)
    {
        if (!layout.Contains(sender))
        {
            return Drop(MdaaDropReason.UnknownSender);
        }

        if (round < FirstRound || round > LastRound)
        {
            return Drop(MdaaDropReason.RoundOutOfRange);
        }

        if (round < CurrentRound)
        {
            StaleCount++;
            return new MdaaOutcome(MdaaStatus.Stale);
        }

        if (value.Length != Dimension)
        {
            return Drop(MdaaDropReason.WrongDimension);
        }

        buffers.TryGetValue(round, out var buffer);
        if (buffer is not null && buffer.Tracker.Contains(sender))
        {
            DuplicateCount++;
            return new MdaaOutcome(MdaaStatus.Duplicate);
        }

        if (!VectorMath.AllFinite(value.Span))
        {
            return Drop(MdaaDropReason.NonFinite);
        }

        if (buffer is not null && buffer.OneValuePerCluster && buffer.Tracker.CoversCluster(sender.Cluster))
        {
            RepresentedCount++;
            return new MdaaOutcome(MdaaStatus.Represented);
        }

        if (buffer is null)
        {
            buffer = Open(round);
            if (buffer is null)
            {
                return Drop(MdaaDropReason.BufferFull);
            }
        }

        buffer.Tracker.Add(sender);
        buffer.Senders.Add(sender);
        buffer.Values.Add(value);
        return new MdaaOutcome(MdaaStatus.Accepted);
    }

    /// <summary>
    /// Completes the highest buffered round holding a quorum — at or after <see cref="CurrentRound"/> when
    /// <paramref name="includeCurrent"/>, strictly after it otherwise — and moves to the round after it; null
    /// when there is none. Call it again after a completion: the next round may already hold a quorum.
    /// </summary>
    public MdaaAdvance? TryComplete(bool includeCurrent)
    {
        if (IsFinished)
        {
            return null;
        }

        RoundBuffer? target = null;
        if (Rules.JumpsOnAnyMessage)
        {
            foreach (var b in buffers.Values)
            {
                if (b.Round > CurrentRound && b.Values.Count > 0 && (target is null || b.Round > target.Round))
                {
                    target = b;
                }
            }
        }

        if (target is null)
        {
            foreach (var b in buffers.Values)
            {
                if ((b.Round > CurrentRound || (includeCurrent && b.Round == CurrentRound))
                    && (target is null || b.Round > target.Round)
                    && IsComplete(b))
                {
                    target = b;
                }
            }
        }

        return target is null ? null : Complete(target);
    }

    /// <summary>
    /// Moves to <paramref name="round"/> without completing anything before it (a process resuming from a
    /// checkpoint); buffered rounds below it are dropped. No-op when already there or past it.
    /// </summary>
    public void SkipTo(int round)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, FirstRound);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(round, LastRound + 1);
        if (round <= CurrentRound)
        {
            return;
        }

        CurrentRound = round;
        RemoveBelowCurrent();
    }

    private static MdaaSchedule UniformSchedule(QuorumRule quorum, int rounds, IAggregationRule? rule, bool oneValuePerCluster)
    {
        ArgumentNullException.ThrowIfNull(quorum);
        if (oneValuePerCluster && quorum.Kind == QuorumKind.Any)
        {
            throw new ArgumentException(
                "One value per cluster needs a cluster-based quorum rule (processes or clusters), not any:M.", nameof(oneValuePerCluster));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        return new MdaaSchedule(rounds, rule ?? MidExtremes.Instance, oneValuePerCluster);
    }

    private bool IsComplete(RoundBuffer b) => Rules.MayComplete(b.Tracker, b.Values.Count);

    private MdaaAdvance Complete(RoundBuffer buffer)
    {
        var values = buffer.Values.ToArray();
        var senders = buffer.Senders.ToArray();
        var output = new double[Dimension];
        var rule = schedule.RuleAt(buffer.Round);
        double[] weights;
        if (rule.ProvidesConvexWeights)
        {
            weights = new double[values.Length];
            rule.Aggregate(values, output, weights);
        }
        else
        {
            weights = [];
            rule.Aggregate(values, output, Span<double>.Empty);
        }

        CheckCompletion(buffer, senders, output, weights);
        var skipped = buffer.Round - CurrentRound;
        SkippedRounds += skipped;
        CurrentRound = buffer.Round + 1;
        RemoveBelowCurrent();
        if (IsFinished)
        {
            buffers.Clear();
            Output = output;
        }

        return new MdaaAdvance(buffer.Round, skipped, output, weights, senders, values, IsFinished);
    }

    /// <summary>The always-on checks of a completed round (see <see cref="Invariant"/>).</summary>
    private void CheckCompletion(RoundBuffer buffer, ProcessId[] senders, double[] output, double[] weights)
    {
        if (buffer.Round < CurrentRound)
        {
            throw Invariant.Violated("mdaa.completes-forward", $"round {buffer.Round} completed while waiting for round {CurrentRound}");
        }

        if (buffers.Count > MaxBufferedRounds)
        {
            throw Invariant.Violated("mdaa.bounded-buffers", $"{buffers.Count} rounds buffered, bound {MaxBufferedRounds}");
        }

        // Recounted with a tracker of its own, so the check does not trust the buffer's bookkeeping.
        if (Rules.RecountsQuorum)
        {
            checkTracker.Reset();
            foreach (var s in senders)
            {
                checkTracker.Add(s);
            }

            if (!checkTracker.IsQuorum || checkTracker.Count != senders.Length)
            {
                throw Invariant.Violated("mdaa.quorum", $"round {buffer.Round} completed with senders {string.Join(",", senders)}, not a quorum of distinct processes under {quorum}");
            }

            if (buffer.OneValuePerCluster && checkTracker.ClustersCovered != senders.Length)
            {
                throw Invariant.Violated("mdaa.one-value-per-cluster", $"round {buffer.Round} aggregated {senders.Length} values from {checkTracker.ClustersCovered} clusters");
            }
        }

        if (weights.Length > 0)
        {
            var sum = 0.0;
            foreach (var w in weights)
            {
                if (!(w >= 0))
                {
                    throw Invariant.Violated("mdaa.convex-weights", $"round {buffer.Round}: weight {w}");
                }

                sum += w;
            }

            if (Math.Abs(sum - 1) > 1e-9)
            {
                throw Invariant.Violated("mdaa.convex-weights", $"round {buffer.Round}: weights sum to {sum}");
            }
        }

        if (!VectorMath.AllFinite(output))
        {
            throw Invariant.Violated("mdaa.finite-value", $"round {buffer.Round}: the aggregate of finite values is not finite");
        }
    }

    private void RemoveBelowCurrent()
    {
        List<int>? stale = null;
        foreach (var round in buffers.Keys)
        {
            if (round < CurrentRound)
            {
                (stale ??= []).Add(round);
            }
        }

        if (stale is not null)
        {
            foreach (var round in stale)
            {
                buffers.Remove(round);
            }
        }
    }

    /// <summary>Opens a buffer for <paramref name="round"/> ≥ current, evicting the lowest future round if needed.</summary>
    private RoundBuffer? Open(int round)
    {
        if (buffers.Count >= MaxBufferedRounds)
        {
            RoundBuffer? lowest = null;
            foreach (var b in buffers.Values)
            {
                if (b.Round > CurrentRound && (lowest is null || b.Round < lowest.Round))
                {
                    lowest = b;
                }
            }

            // At most one buffer is the current round and the bound is at least 2: a future one exists.
            if (lowest is null)
            {
                throw Invariant.Violated("mdaa.bounded-buffers", $"{buffers.Count} rounds buffered and none of them after round {CurrentRound}");
            }

            if (round > CurrentRound && round < lowest.Round)
            {
                return null;
            }

            drops[(int)MdaaDropReason.BufferFull] += lowest.Values.Count;
            buffers.Remove(lowest.Round);
        }

        var created = new RoundBuffer(round, quorum.CreateTracker(layout), schedule.OneValuePerClusterAt(round));
        buffers.Add(round, created);
        return created;
    }

    private MdaaOutcome Drop(MdaaDropReason reason)
    {
        drops[(int)reason]++;
        return new MdaaOutcome(MdaaStatus.Dropped, reason);
    }

    private sealed class RoundBuffer(int round, QuorumTracker tracker, bool oneValuePerCluster)
    {
        public int Round { get; } = round;

        public QuorumTracker Tracker { get; } = tracker;

        public bool OneValuePerCluster { get; } = oneValuePerCluster;

        public List<ProcessId> Senders { get; } = [];

        public List<ReadOnlyMemory<double>> Values { get; } = [];
    }
}

/// <summary>Which rounds an <see cref="Mdaa"/> instance has and how each is aggregated.</summary>
public interface IMdaaSchedule
{
    int FirstRound { get; }

    int LastRound { get; }

    /// <summary>How the quorum's values of <paramref name="round"/> are combined.</summary>
    IAggregationRule RuleAt(int round);

    /// <summary>
    /// Whether <paramref name="round"/> keeps only the first value received from each cluster ("a process
    /// represents its whole cluster"); later ones get <see cref="MdaaStatus.Represented"/>. The quorum is
    /// unaffected (it counts the senders' clusters), but the aggregate weighs every cluster alike instead of
    /// by how many of its members happened to arrive first. This is the paper's rule for values that came out
    /// of in-cluster agreement (a cluster speaks with one voice), and it matters for the mean: weighted by
    /// messages, a receiver that hears s members of its own cluster and one of another contracts only by
    /// (s−1)/(s+1) per two rounds, above the paper's bound for s ≥ 8. Needs a cluster-based quorum rule.
    /// </summary>
    bool OneValuePerClusterAt(int round);
}

/// <summary>Rounds 1…R, all aggregated with one rule and one de-duplication rule.</summary>
public sealed record MdaaSchedule : IMdaaSchedule
{
    public MdaaSchedule(int rounds, IAggregationRule rule, bool oneValuePerCluster)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentNullException.ThrowIfNull(rule);
        Rounds = rounds;
        Rule = rule;
        OneValuePerCluster = oneValuePerCluster;
    }

    public int Rounds { get; }

    public IAggregationRule Rule { get; }

    public bool OneValuePerCluster { get; }

    public int FirstRound => 1;

    public int LastRound => Rounds;

    public IAggregationRule RuleAt(int round) => Rule;

    public bool OneValuePerClusterAt(int round) => OneValuePerCluster;
}
