using System.Diagnostics;

namespace Decentral.Agreement;

/// <summary>
/// The inter-cluster round state machine of one MDAA instance at one process. Feed it every
/// ⟨round, sender, value⟩ received (the own message included); it validates, de-duplicates senders,
/// buffers future rounds, and reports an <see cref="MdaaAdvance"/> when a quorum for the current round —
/// or for any later buffered round, which is then skipped to — is held.
/// <para>
/// Bounds: per round at most n values (one per sender); at most <see cref="MaxBufferedRounds"/> future
/// rounds. When a message would open one more future round the lowest buffered future round is evicted
/// (if the new one is higher), because a lagging process catches up by skipping to the frontier: a round r
/// is only ever sent after a quorum for r − 1 existed, so keeping the two highest rounds suffices for that.
/// Values are kept by reference, never copied: senders must not mutate a vector after sending it.
/// </para>
/// Not thread-safe; one instance per process and agreement instance.
/// </summary>
public sealed class Mdaa
{
    /// <summary>Default for <see cref="MaxBufferedRounds"/>.</summary>
    public const int DefaultMaxBufferedRounds = 4;

    private readonly ClusterLayout layout;
    private readonly QuorumRule quorum;
    private readonly IAggregationRule rule;
    private readonly List<RoundBuffer> buffers = [];
    private readonly long[] drops = new long[Enum.GetValues<MdaaDropReason>().Length];

    public Mdaa(
        ClusterLayout layout,
        QuorumRule quorum,
        int rounds,
        int dimension,
        IAggregationRule? rule = null,
        int maxBufferedRounds = DefaultMaxBufferedRounds,
        bool oneValuePerCluster = false)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(quorum);
        quorum.Validate(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        // One slot for the round being completed and one above it (see the class remarks).
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedRounds, 2);
        if (oneValuePerCluster && quorum.Kind == QuorumKind.Any)
        {
            throw new ArgumentException(
                "One value per cluster needs a cluster-based quorum rule (processes or clusters), not any:M.",
                nameof(oneValuePerCluster));
        }

        OneValuePerCluster = oneValuePerCluster;
        this.layout = layout;
        this.quorum = quorum;
        this.rule = rule ?? MidExtremes.Instance;
        Rounds = rounds;
        Dimension = dimension;
        MaxBufferedRounds = maxBufferedRounds;
        CurrentRound = 1;
    }

    /// <summary>R, the number of inter-cluster rounds.</summary>
    public int Rounds { get; }

    public int Dimension { get; }

    public int MaxBufferedRounds { get; }

    public IAggregationRule Rule => rule;

    /// <summary>
    /// When true, only the first value received from each cluster in a round is aggregated ("a process
    /// represents its whole cluster"); later ones get <see cref="MdaaStatus.Represented"/>. The quorum is
    /// unaffected (it counts clusters), but the aggregate weighs every cluster alike instead of by how many of
    /// its members happened to arrive first — which matters for the mean: weighted by messages, a receiver
    /// that hears s members of its own cluster and one of another contracts only by (s−1)/(s+1) per two
    /// rounds, above the paper's bound for s ≥ 8.
    /// </summary>
    public bool OneValuePerCluster { get; }

    public long RepresentedCount { get; private set; }

    /// <summary>The round whose quorum the instance waits for; R + 1 once finished.</summary>
    public int CurrentRound { get; private set; }

    public bool IsFinished => CurrentRound > Rounds;

    /// <summary>Rounds jumped over in total (a completion of round r' while waiting for r adds r' − r).</summary>
    public int SkippedRounds { get; private set; }

    /// <summary>y_{R+1} once finished; empty before.</summary>
    public ReadOnlyMemory<double> Output { get; private set; }

    public long DuplicateCount { get; private set; }

    public long StaleCount { get; private set; }

    /// <summary>Number of distinct future rounds currently buffered.</summary>
    public int BufferedFutureRounds
    {
        get
        {
            var count = 0;
            foreach (var b in buffers)
            {
                count += b.Round > CurrentRound ? 1 : 0;
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
    public int SendersHeld(int round)
    {
        foreach (var b in buffers)
        {
            if (b.Round == round)
            {
                return b.Tracker.Count;
            }
        }

        return 0;
    }

    public MdaaOutcome Receive(int round, ProcessId sender, ReadOnlyMemory<double> value)
    {
        if (!layout.Contains(sender))
        {
            return Drop(MdaaDropReason.UnknownSender);
        }

        if (round < 1 || round > Rounds)
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

        var buffer = Find(round);
        if (buffer is not null && buffer.Tracker.Contains(sender))
        {
            DuplicateCount++;
            return new MdaaOutcome(MdaaStatus.Duplicate);
        }

        if (!VectorMath.AllFinite(value.Span))
        {
            return Drop(MdaaDropReason.NonFinite);
        }

        if (OneValuePerCluster && buffer is not null && buffer.Tracker.CoversCluster(sender.Cluster))
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
        if (!buffer.Tracker.IsQuorum)
        {
            return new MdaaOutcome(MdaaStatus.Accepted);
        }

        return new MdaaOutcome(MdaaStatus.Advanced, Advance: Complete(buffer));
    }

    private MdaaAdvance Complete(RoundBuffer buffer)
    {
        var values = buffer.Values.ToArray();
        var senders = buffer.Senders.ToArray();
        var output = new double[Dimension];
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

        var skipped = buffer.Round - CurrentRound;
        SkippedRounds += skipped;
        CurrentRound = buffer.Round + 1;
        buffers.RemoveAll(b => b.Round < CurrentRound);
        if (IsFinished)
        {
            buffers.Clear();
            Output = output;
        }

        AssertInvariants();
        return new MdaaAdvance(buffer.Round, skipped, output, weights, senders, values, IsFinished);
    }

    private RoundBuffer? Find(int round)
    {
        foreach (var b in buffers)
        {
            if (b.Round == round)
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>Opens a buffer for <paramref name="round"/> ≥ current, evicting the lowest future round if needed.</summary>
    private RoundBuffer? Open(int round)
    {
        if (round > CurrentRound && BufferedFutureRounds >= MaxBufferedRounds)
        {
            RoundBuffer? lowest = null;
            foreach (var b in buffers)
            {
                if (b.Round > CurrentRound && (lowest is null || b.Round < lowest.Round))
                {
                    lowest = b;
                }
            }

            Debug.Assert(lowest is not null, "the future rounds are full, so one exists");
            if (round < lowest.Round)
            {
                return null;
            }

            drops[(int)MdaaDropReason.BufferFull] += lowest.Values.Count;
            buffers.Remove(lowest);
        }

        var created = new RoundBuffer(round, quorum.CreateTracker(layout));
        buffers.Add(created);
        AssertInvariants();
        return created;
    }

    private MdaaOutcome Drop(MdaaDropReason reason)
    {
        drops[(int)reason]++;
        return new MdaaOutcome(MdaaStatus.Dropped, reason);
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(BufferedFutureRounds <= MaxBufferedRounds, "future rounds are bounded");
        foreach (var b in buffers)
        {
            Debug.Assert(b.Round >= CurrentRound && b.Round <= Rounds, "only current and future rounds are buffered");
            Debug.Assert(!b.Tracker.IsQuorum, "a held quorum is completed at once");
        }
    }

    private sealed class RoundBuffer(int round, QuorumTracker tracker)
    {
        public int Round { get; } = round;

        public QuorumTracker Tracker { get; } = tracker;

        public List<ProcessId> Senders { get; } = [];

        public List<ReadOnlyMemory<double>> Values { get; } = [];
    }
}
