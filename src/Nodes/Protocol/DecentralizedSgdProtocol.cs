using Decentral.Agreement;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// One node of the decentralized SGD of Attiya and Schiller as a deterministic state machine
/// (ARCHITECTURE §1, steps 1–6): a message or signal in, state updated, effects out. No clock, no
/// I/O, no threads: the shell (node actor, test, simulator) executes the effects. The list returned
/// by <c>Start</c>/<c>Handle</c> is reused by the next call.
/// </summary>
public sealed class DecentralizedSgdProtocol
{
    /// <summary>How many of its own latest messages a node keeps to help laggards.</summary>
    public const int RecentSentKept = 4;

    private readonly ProtocolOptions options;
    private readonly INodeWorkload workload;
    private readonly ClusterMemory memory;
    private readonly StageBuffer buffer;
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
        buffer = new StageBuffer(options.Layout, options.Quorum, options.MaxBufferedStages, options.Mutant == ProtocolMutant.QuorumOneShort);
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
    }

    private enum Phase
    {
        NotStarted,
        Computing,
        Agreeing,
        Waiting,
        Finished,
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

    public ProtocolCounters Counters { get; } = new();

    /// <summary>Stages buffered right now (bounded by <see cref="ProtocolOptions.MaxBufferedStages"/>).</summary>
    public int BufferedStages => buffer.Count;

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
        if (validator.Check(message) is { } reason)
        {
            Counters.Rejected++;
            Emit(new Observe(new MessageRejected(Self, message.Sender, message.Stage, reason)));
            return effects;
        }
        if (phase == Phase.NotStarted || message.Stage < buffer.Floor || phase == Phase.Finished)
        {
            Counters.Stale++;
            HelpLaggard(message.Sender, message.Stage);
            return effects;
        }
        switch (buffer.Add(message))
        {
            case AddResult.Duplicate:
                Counters.Duplicates++;
                return effects;
            case AddResult.Stale:
                Counters.Stale++;
                return effects;
            case AddResult.Evicted:
                Counters.Evicted++;
                return effects;
        }
        TryAdvance();
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
        buffer.AdvanceFloor(stage);
        phase = Phase.Computing;
        Emit(new ScheduleCompute(iteration, workload.ComputeDelay(iteration)));
        TryAdvance();
    }

    private void Compute()
    {
        var y = new double[model.Length];
        workload.Perturb(stage.Iteration, model, y);
        Send(new ModelMessage(stage.Iteration, Self, y));
    }

    private void StartAgreement(Stage round, double[] input)
    {
        stage = round;
        buffer.AdvanceFloor(round);
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
        buffer.Add(message);
        TryAdvance();
    }

    private void TryAdvance()
    {
        // Bounded: each pass completes a stage strictly later than the previous one.
        for (var guard = 0; guard <= options.MaxBufferedStages + 1 && phase is not (Phase.Finished or Phase.NotStarted); guard++)
        {
            if (!FindTarget(out var target))
            {
                return;
            }
            var skipped = target > stage;
            if (!skipped && phase != Phase.Waiting)
            {
                return;
            }
            Complete(target, skipped);
        }
    }

    private bool FindTarget(out Stage target)
    {
        if (options.Mutant == ProtocolMutant.SkipWithoutQuorum && buffer.TryHighestAny(stage, out target) && target > stage)
        {
            return true;
        }
        return buffer.TryHighestQuorum(stage, out target);
    }

    private void Complete(Stage target, bool skipped)
    {
        var from = stage;
        var (senders, values) = buffer.Get(target);
        var inputs = new ReadOnlyMemory<double>[values.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = values[i];
        }
        var value = new double[model.Length];
        var rule = target.Round == 0 ? Mean.Instance : options.Rule;
        double[]? weights = rule.ProvidesConvexWeights ? new double[inputs.Length] : null;
        rule.Aggregate(inputs, value, weights);
        progress++;
        if (skipped)
        {
            Counters.SkippedStages++;
            Counters.SkippedIterations += Math.Max(0, target.Iteration - from.Iteration);
        }
        var completedBy = senders.ToArray();
        lastQuorum = (target, completedBy, [.. values]);
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
            var state = options.Mutant == ProtocolMutant.CheckpointBeforeState ? previous : next;
            Emit(new SaveCheckpoint(Incarnation, iteration + 1, state));
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

    private void Emit(ProtocolEffect effect) => effects.Add(effect);
}
