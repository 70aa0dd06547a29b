using System.Runtime.InteropServices;
using Decentral.Agreement;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// One node of the decentralized SGD of Attiya and Schiller as a deterministic state machine
/// (ARCHITECTURE §1, steps 1–6): a message or signal in, state updated, effects out. No clock, no
/// I/O, no threads: the shell (node actor, test, simulator) executes the effects. The list returned
/// by <c>Start</c>/<c>Handle</c> is reused by the next call.
/// <para>
/// Buffering, de-duplication, quorums, skipping and aggregation are <see cref="Mdaa"/>'s, the round machine
/// <c>decentral agreement</c> and the agreement campaign measure: a node's stages (t, 0), (t, 1), …, (t, R),
/// (t + 1, 0), … are the consecutive rounds of one instance (<see cref="ProtocolOptions.OrdinalOf"/>), the
/// models of round 0 averaged with the mean and every value, the MDAA rounds aggregated with the
/// configured rule one value per cluster (<see cref="ProtocolSchedule"/>).
/// </para>
/// </summary>
public sealed class DecentralizedSgdProtocol
{
    /// <summary>How many of its own latest messages a node keeps to help laggards.</summary>
    public const int RecentSentKept = 4;

    /// <summary>
    /// A model coordinate beyond this after the node's own gradient step counts as diverged (no trained model
    /// comes near it, and the mean of a quorum of such values would overflow to infinity).
    /// </summary>
    public const double DivergenceBound = 1e100;

    private readonly ProtocolOptions options;
    private readonly INodeWorkload workload;
    private readonly ClusterMemory memory;
    private readonly Mdaa mdaa;
    private readonly List<ProtocolEffect> effects = [];
    private readonly HashSet<int> helpedThisTick = [];

    // The own messages of the last few stages, oldest first: a laggard blocked at one of them needs
    // exactly that message (it cannot skip without a quorum of a later stage, which may wait on it).
    private readonly Queue<ProtocolMessage> recentSent = new();
    private readonly MessageValidator validator;
    private readonly ProcessId self;
    private readonly int resumeIteration;
    private double[] model;
    private Phase phase = Phase.NotStarted;
    private Stage stage;
    private ClusterAgreement? agreement;
    private IRegisterArray? registers;
    private ProtocolMessage? latestSent;

    // The quorum of messages the latest completed stage used, to relay to laggards (see HelpLaggard).
    private (Stage Stage, int[] Senders, double[][] Values)? lastQuorum;
    private long progressAtLastTick = -1;
    private long progress;
    private int nextIteration;

    public DecentralizedSgdProtocol(
        ProtocolOptions options, int selfIndex, INodeWorkload workload, ClusterMemory memory, ResumePoint? resume = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(memory);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(selfIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(selfIndex, options.Layout.N);
        this.options = options;
        this.workload = workload;
        this.memory = memory;
        Self = selfIndex;
        self = options.Layout.ProcessAt(selfIndex);
        if (memory.ClusterSize != options.Layout.SizeOf(self.Cluster))
        {
            throw new ArgumentException(
                $"The cluster memory has {memory.ClusterSize} slots but cluster {self.Cluster + 1} has {options.Layout.SizeOf(self.Cluster)} members.",
                nameof(memory));
        }
        mdaa = new Mdaa(
            options.Layout,
            options.Quorum,
            new ProtocolSchedule(options),
            workload.Dimension,
            options.MaxBufferedStages,
            options.Rules.Rounds);
        validator = new MessageValidator(options, workload.Dimension);
        if (resume is { } r)
        {
            if (r.Model.Length != workload.Dimension)
            {
                throw new ArgumentException(
                    $"The checkpointed model has dimension {r.Model.Length}, the objective {workload.Dimension}.", nameof(resume));
            }
            model = (double[])r.Model.Clone();
            resumeIteration = Math.Max(1, r.Iteration);
            Incarnation = r.Incarnation + 1;
            FromCheckpoint = true;
        }
        else
        {
            model = workload.InitialModel();
            resumeIteration = 1;
        }
        mdaa.SkipTo(resumeIteration > options.Iterations ? mdaa.LastRound + 1 : options.OrdinalOf(new Stage(resumeIteration, 0)));
    }

    private enum Phase
    {
        NotStarted,
        Computing,
        Agreeing,
        Waiting,
        Finished,
        Diverged,
        Failed,
    }

    /// <summary>This node's global process index.</summary>
    public int Self { get; }

    public int Incarnation { get; }

    public bool FromCheckpoint { get; }

    /// <summary>The stage being worked on (computed, agreed or waited for).</summary>
    public Stage Stage => stage;

    /// <summary>The current model x_t (read-only view; replaced, never mutated, as iterations complete).</summary>
    public ReadOnlyMemory<double> Model => model;

    public bool IsFinished => phase == Phase.Finished;

    /// <summary>True once the node's own gradient step went non-finite (see <see cref="ModelDiverged"/>); it does nothing more.</summary>
    public bool HasDiverged => phase == Phase.Diverged;

    /// <summary>True once the node's model broke its contract (see <see cref="ModelFailed"/>); it does nothing more, as if crashed.</summary>
    public bool HasFailed => phase == Phase.Failed;

    public ProtocolCounters Counters { get; } = new();

    /// <summary>Stages buffered right now (bounded by <see cref="ProtocolOptions.MaxBufferedStages"/>).</summary>
    public int BufferedStages => mdaa.BufferedRounds;

    public IReadOnlyList<ProtocolEffect> Start()
    {
        effects.Clear();
        if (phase != Phase.NotStarted)
        {
            throw new InvalidOperationException("The protocol was already started.");
        }
        Emit(new Observe(new NodeStarted(Self, Incarnation, new Stage(resumeIteration, 0), FromCheckpoint)));
        BeginIteration(resumeIteration);
        return effects;
    }

    public IReadOnlyList<ProtocolEffect> Handle(ProtocolMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        effects.Clear();
        Counters.Received++;
        Counters.ReceivedCoordinates += message.Vector.Length;
        if (validator.Check(message) is { } reason)
        {
            Counters.Rejected++;
            Emit(new Observe(new MessageRejected(Self, message.Sender, message.Stage, reason)));
            return effects;
        }
        if (phase == Phase.Failed)
        {
            return effects; // as a crashed node: no state, no help for laggards
        }
        var round = options.OrdinalOf(message.Stage);
        if (phase is Phase.NotStarted or Phase.Finished or Phase.Diverged || round < mdaa.CurrentRound)
        {
            Counters.Stale++;
            HelpLaggard(message.Sender, message.Stage);
            return effects;
        }
        if (Offer(message))
        {
            TryAdvance();
        }
        return effects;
    }

    public IReadOnlyList<ProtocolEffect> Handle(ProtocolSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        effects.Clear();
        switch (signal)
        {
            case ComputeDone done when phase == Phase.Computing && done.Iteration == stage.Iteration:
                Compute();
                break;
            case ClusterStep step when phase == Phase.Agreeing && step.Stage == stage:
                StepCluster();
                break;
            case ResendTick:
                Tick();
                break;
        }
        return effects;
    }

    private void BeginIteration(int iteration)
    {
        nextIteration = iteration;
        if (iteration > options.Iterations)
        {
            phase = Phase.Finished;
            Emit(new Observe(new NodeFinished(Self, model)));
            return;
        }
        stage = new Stage(iteration, 0);
        CheckInStep();
        phase = Phase.Computing;
        Emit(new ScheduleCompute(iteration, workload.ComputeDelay(iteration)));
        TryAdvance();
    }

    private void Compute()
    {
        var y = new double[model.Length];
        try
        {
            workload.Perturb(stage.Iteration, model, y);
        }
        catch (Models.ModelFailureException e)
        {
            phase = Phase.Failed;
            Emit(new Observe(new ModelFailed(Self, stage.Iteration, e.ModelName, e.Message)));
            return;
        }
        if (!VectorMath.AllFinite(y) || System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<double>(y) > DivergenceBound)
        {
            phase = Phase.Diverged;
            Emit(new Observe(new ModelDiverged(Self, stage.Iteration, workload.StepSize(stage.Iteration))));
            return;
        }
        Send(new ModelMessage(stage.Iteration, Self, y));
    }

    private void StartAgreement(Stage round, double[] input)
    {
        stage = round;
        CheckInStep();
        registers = memory.For(round);
        var slot = self.Member;
        if (registers.Count == 1)
        {
            agreement = null;
            Send(new RoundMessage(round.Iteration, round.Round, Self, input));
            return;
        }
        if (registers.Read(slot) is { } previous)
        {
            // An earlier incarnation of this node already took part in this instance: reuse what it
            // wrote (a value of the instance, so validity holds) instead of moving its slot backwards.
            agreement = null;
            Send(new RoundMessage(round.Iteration, round.Round, Self, previous.Value.ToArray()));
            return;
        }
        agreement = new ClusterAgreement(slot, registers.Count, input, options.ClusterRounds, options.Rule);
        phase = Phase.Agreeing;
        Emit(new ScheduleClusterStep(round));
    }

    private void StepCluster()
    {
        agreement!.Step(registers!);
        Counters.RegisterOperations++;
        if (!agreement.IsDone)
        {
            Emit(new ScheduleClusterStep(stage));
            return;
        }
        var z = agreement.Output.ToArray();
        agreement = null;
        Send(new RoundMessage(stage.Iteration, stage.Round, Self, z));
    }

    /// <summary>Records our own message for the current stage, broadcasts it, and waits for a quorum.</summary>
    private void Send(ProtocolMessage message)
    {
        latestSent = message;
        if (recentSent.Count == RecentSentKept)
        {
            recentSent.Dequeue();
        }
        recentSent.Enqueue(message);
        phase = Phase.Waiting;
        progress++;
        Counters.Broadcasts++;
        Emit(new Broadcast(message));
        Offer(message);
        TryAdvance();
    }

    /// <summary>Hands a message (a peer's, a relayed one or our own) to the round machine; true when stored.</summary>
    private bool Offer(ProtocolMessage message)
    {
        var outcome = mdaa.Offer(options.OrdinalOf(message.Stage), options.Layout.ProcessAt(message.Sender), message.Vector);
        switch (outcome.Status)
        {
            case MdaaStatus.Accepted:
                return true;
            case MdaaStatus.Duplicate:
                Counters.Duplicates++;
                break;
            case MdaaStatus.Represented:
                Counters.Represented++;
                break;
            case MdaaStatus.Stale:
                Counters.Stale++;
                break;
            case MdaaStatus.Dropped when outcome.Reason == MdaaDropReason.BufferFull:
                Counters.Evicted++;
                break;
            default:
                // The validator let it through, so the round machine cannot disagree: a bug if it does.
                throw Invariant.Violated("protocol.validated-message", $"{message.Stage} from {message.Sender} passed validation but the round machine dropped it ({outcome.Reason})");
        }
        return false;
    }

    private void TryAdvance()
    {
        // Bounded: each pass completes a stage strictly later than the previous one. The current stage
        // completes only once our own message for it is out (Waiting); a later one with a quorum at once.
        for (var guard = 0; guard <= options.MaxBufferedStages + 1 && phase is not (Phase.Finished or Phase.NotStarted or Phase.Diverged or Phase.Failed); guard++)
        {
            if (mdaa.TryComplete(includeCurrent: phase == Phase.Waiting) is not { } advance)
            {
                return;
            }
            Complete(advance);
        }
    }

    private void Complete(MdaaAdvance advance)
    {
        var from = stage;
        var target = options.StageAt(advance.CompletedRound);
        var skipped = advance.SkippedRounds > 0;
        if (target < from)
        {
            throw Invariant.Violated("protocol.stage-forward", $"node {Self} completed {target} while at {from}");
        }
        var value = ArrayOf(advance.Value);
        double[]? weights = advance.Weights.IsEmpty ? null : ArrayOf(advance.Weights);
        progress++;
        if (skipped)
        {
            Counters.SkippedStages++;
            Counters.SkippedIterations += Math.Max(0, target.Iteration - from.Iteration);
        }
        var completedBy = new int[advance.Senders.Count];
        var values = new double[advance.Inputs.Count][];
        for (var i = 0; i < completedBy.Length; i++)
        {
            completedBy[i] = options.Layout.IndexOf(advance.Senders[i]);
            values[i] = ArrayOf(advance.Inputs[i]);
        }
        lastQuorum = (target, completedBy, values);
        Emit(new Observe(new StageCompleted(Self, target, completedBy, weights, value, skipped, from)));
        if (target.Round < options.RoundsFor(target.Iteration))
        {
            StartAgreement(new Stage(target.Iteration, target.Round + 1), value);
        }
        else
        {
            // Skipped: the node jumped into this iteration instead of starting it itself. The stage is
            // the one completed (the next iteration replaces it, unless this was the last).
            stage = target;
            FinishIteration(target.Iteration, value, target.Iteration != nextIteration);
        }
    }

    private void FinishIteration(int iteration, double[] next, bool skipped)
    {
        var previous = model;
        model = next;
        Counters.IterationsCompleted++;
        Emit(new Observe(new IterationCompleted(Self, iteration, next, skipped)));
        var every = options.CheckpointEvery;
        if (every > 0 && (iteration % every == 0 || iteration == options.Iterations))
        {
            var state = options.Rules.CheckpointedModel(previous, next);
            Emit(new SaveCheckpoint(Incarnation, iteration + 1, state)
            {
                Optimizer = workload.OptimizerName,
                OptimizerState = workload.OptimizerState.ToArray(),
            });
        }
        BeginIteration(iteration + 1);
    }

    private void Tick()
    {
        helpedThisTick.Clear();
        if (phase == Phase.Waiting && progress == progressAtLastTick && latestSent is not null)
        {
            // Stuck: a quorum's messages may have been lost or blocked; sending again is harmless
            // (receivers de-duplicate) and lets progress resume once the network heals.
            Counters.Resends++;
            Emit(new Broadcast(latestSent));
        }
        progressAtLastTick = progress;
    }

    /// <summary>
    /// A peer sent something older than we hold. Send it (1) our own message for its stage if we still
    /// have it — it may need exactly that one, and it cannot skip ahead while the later stages wait on
    /// it; (2) the quorum of messages our latest completed stage used, relayed (their senders' vectors,
    /// unchanged, its own previous incarnation's included), so it holds a quorum for that stage and can
    /// skip there even when the nodes ahead are too few to form a quorum of a later stage without it;
    /// (3) our newest message.
    /// </summary>
    private void HelpLaggard(int sender, Stage stage)
    {
        if (sender == Self || !helpedThisTick.Add(sender))
        {
            return;
        }
        var helped = false;
        foreach (var m in recentSent)
        {
            if (m.Stage == stage)
            {
                Emit(new SendTo(sender, m));
                helped = true;
            }
        }
        if (lastQuorum is { } q && q.Stage > stage)
        {
            for (var i = 0; i < q.Senders.Length; i++)
            {
                Emit(new SendTo(sender, q.Stage.Round == 0
                    ? new ModelMessage(q.Stage.Iteration, q.Senders[i], q.Values[i])
                    : new RoundMessage(q.Stage.Iteration, q.Stage.Round, q.Senders[i], q.Values[i])));
                helped = true;
            }
        }
        if (latestSent is not null && latestSent.Stage > stage && (lastQuorum is not { } last || latestSent.Stage > last.Stage))
        {
            Emit(new SendTo(sender, latestSent));
            helped = true;
        }
        if (helped)
        {
            Counters.Helps++;
        }
    }

    /// <summary>The stage worked on is the round the round machine waits for (checked at every stage boundary).</summary>
    private void CheckInStep()
    {
        if (options.OrdinalOf(stage) != mdaa.CurrentRound)
        {
            throw Invariant.Violated("protocol.stage-in-step", $"node {Self} works on {stage} but its round machine waits for {options.StageAt(Math.Min(mdaa.CurrentRound, mdaa.LastRound))}");
        }
    }

    /// <summary>The array behind a vector the round machine got from a message or produced (never copied).</summary>
    private static double[] ArrayOf(ReadOnlyMemory<double> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();

    private void Emit(ProtocolEffect effect) => effects.Add(effect);
}

/// <summary>
/// A node's stages as the rounds of one <see cref="Mdaa"/> instance: round 0 of each iteration (the
/// perturbed models) is averaged with the mean over every model of the quorum; the MDAA rounds use the
/// configured rule over one value per cluster — the first received from each cluster, as in the paper,
/// where a cluster's members speak with the one voice their in-cluster agreement gave them (under any:M
/// quorums, which ignore clusters, every value counts).
/// </summary>
internal sealed class ProtocolSchedule(ProtocolOptions options) : IMdaaSchedule
{
    public int FirstRound => 0;

    public int LastRound { get; } = options.LastOrdinal;

    public IAggregationRule RuleAt(int round) => options.StageAt(round).Round == 0 ? Mean.Instance : options.Rule;

    public bool OneValuePerClusterAt(int round) => options.Quorum.Kind != QuorumKind.Any && options.StageAt(round).Round > 0;
}
