using Akka.Actor;
using Akka.Event;
using Decentral.Agreement;
using Decentral.Nodes.Checkpoints;
using Decentral.Nodes.Models;
using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Runtime;

/// <summary>Everything a node actor needs; it outlives the actor (a restart reuses it).</summary>
internal sealed record NodeActorSetup(
    int Index,
    string Name,
    ProtocolOptions Options,
    Func<INodeWorkload> Workload,
    Func<ClusterMemory> Memory,
    ICheckpointStore Store,
    IActorRef CheckpointWriter,
    IReadOnlyList<IActorRef> Peers,
    TimeSpan ResendInterval,
    NodeStatus Status,
    IRunObserver Observer);

/// <summary>
/// The Akka shell around a <see cref="DecentralizedSgdProtocol"/>: loads the newest valid checkpoint
/// on start, feeds messages and timer signals to the protocol and executes the effects it returns.
/// All protocol logic lives in the protocol; this class only routes. Checkpoints are written by the
/// <see cref="CheckpointWriter"/>, off this actor's message loop; it reports them once durable.
/// </summary>
internal sealed class NodeActor : ReceiveActor, IWithTimers
{
    private const string ResendTimer = "resend";
    private const string ComputeTimer = "compute";
    private readonly NodeActorSetup setup;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private DecentralizedSgdProtocol? protocol;
    private long sent;
    private long sendFailures;
    private long sentCoordinates;

    public NodeActor(NodeActorSetup setup)
    {
        this.setup = setup;
        Receive<ProtocolMessage>(m => Step(m));
        Receive<ProtocolSignal>(s => Step(s));
    }

    /// <summary>Hands a message or signal to the protocol and executes its effects; a protocol exception is reported, then fails the actor.</summary>
    private void Step(object input)
    {
        if (protocol is null)
        {
            return; // the model failed at start; the runtime is stopping this node
        }
        IReadOnlyList<ProtocolEffect> effects;
        try
        {
            effects = input is ProtocolMessage m ? protocol.Handle(m) : protocol.Handle((ProtocolSignal)input);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Report(e);
            throw;
        }

        Execute(effects);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        CheckpointLoadResult loaded;
        try
        {
            loaded = setup.Store.LoadLatestValid(setup.Name);
        }
        catch (Exception e) when (e is CheckpointFormatException or IOException or UnauthorizedAccessException or InvalidOperationException or System.Data.Common.DbException)
        {
            // A store that cannot be read must not keep the node from starting (it would idle forever): start
            // afresh, the protocol skips to the frontier on the first quorum it sees.
            loaded = new CheckpointLoadResult(null, 0, [$"checkpoint store unreadable ({e.Message}); starting afresh and skipping to the frontier"]);
        }

        foreach (var problem in loaded.Problems)
        {
            log.Warning("{0}: {1}", setup.Name, problem);
            setup.Observer.OnCheckpointProblem(setup.Index, problem);
        }
        ResumePoint? resume = loaded.Checkpoint is { } cp
            ? new ResumePoint((int)cp.Incarnation, (int)cp.Iteration, cp.Model.ToArray())
            : null;
        INodeWorkload workload;
        try
        {
            workload = setup.Workload();
        }
        catch (ModelFailureException e)
        {
            // The node's model cannot start (its instance cannot be made, or starts elsewhere than the run's
            // x₁): it stays silent, as crashed, and the runtime stops it.
            log.Error("{0}: {1}", setup.Name, e.Message);
            setup.Observer.OnEvent(new ModelFailed(setup.Index, 0, e.ModelName, e.Message));
            return;
        }
        if (loaded.Checkpoint is { } saved && workload.RestoreOptimizerState(saved.Optimizer, saved.OptimizerState.Span) is { } mismatch)
        {
            log.Warning("{0}: {1}", setup.Name, mismatch);
            setup.Observer.OnCheckpointProblem(setup.Index, mismatch);
        }
        protocol = new DecentralizedSgdProtocol(setup.Options, setup.Index, workload, setup.Memory(), resume);
        Timers.StartPeriodicTimer(ResendTimer, ResendTick.Instance, setup.ResendInterval);
        IReadOnlyList<ProtocolEffect> effects;
        try
        {
            effects = protocol.Start();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Report(e);
            throw;
        }
        Execute(effects);
    }

    /// <summary>
    /// The protocol threw (a check failed, or some other bug): log it and tell the observers, by the check's
    /// name, before the actor fails and is restarted.
    /// </summary>
    private void Report(Exception e)
    {
        log.Error("{0}: {1}", setup.Name, e.Message);
        setup.Observer.OnEvent(e is InvariantViolationException v
            ? new InvariantViolated(setup.Index, v.Name, v.Detail)
            : new InvariantViolated(setup.Index, "protocol.exception", $"{e.GetType().Name}: {e.Message}"));
    }

    private void Execute(IReadOnlyList<ProtocolEffect> effects)
    {
        var p = protocol!;
        var peers = setup.Peers;
        for (var i = 0; i < effects.Count; i++)
        {
            switch (effects[i])
            {
                case Broadcast b:
                    for (var j = 0; j < peers.Count; j++)
                    {
                        if (j != setup.Index)
                        {
                            Send(peers[j], b.Message);
                        }
                    }
                    break;
                case SendTo s:
                    Send(peers[s.Recipient], s.Message);
                    break;
                case ScheduleCompute c:
                    if (c.Delay <= TimeSpan.Zero)
                    {
                        Self.Tell(new ComputeDone(c.Iteration), Self);
                    }
                    else
                    {
                        Timers.StartSingleTimer(ComputeTimer, new ComputeDone(c.Iteration), c.Delay);
                    }
                    break;
                case ScheduleClusterStep st:
                    Self.Tell(new ClusterStep(st.Stage), Self);
                    break;
                case SaveCheckpoint cp:
                    var checkpoint = new Checkpoint(
                        setup.Name, cp.Incarnation, cp.Iteration, 0, cp.Model, [], Context.System.Scheduler.Now, cp.Optimizer, cp.OptimizerState);
                    setup.CheckpointWriter.Tell(new WriteCheckpoint(setup.Index, checkpoint, cp), Self);
                    break;
            }
        }

        // Status first, then events: an observer woken by an event (e.g. "finished") must already see
        // the snapshot that event describes, or a waiter checking the snapshots would miss the end.
        setup.Status.Publish(NodeSnapshot.From(setup.Index, setup.Name, p, sent, sentCoordinates));
        Notify(effects, peers.Count);
    }

    /// <summary>
    /// One send: a link that throws (a fault layer or transport refusing the message) loses this message
    /// only, as a network would; the protocol resends. It must never fail the actor, which would restart it
    /// and send (and fail) again at once: a crash loop. Logged the 1st, 10th, 100th, … time per incarnation.
    /// </summary>
    private void Send(IActorRef peer, ProtocolMessage message)
    {
        try
        {
            peer.Tell(message, Self);
            sent++;
            sentCoordinates += message.Vector.Length;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            sendFailures++;
            if (IsPowerOfTen(sendFailures))
            {
                log.Warning("{0}: a send to {1} failed and was dropped ({2} so far): {3}: {4}", setup.Name, peer.Path, sendFailures, e.GetType().Name, e.Message);
            }
        }
    }

    private static bool IsPowerOfTen(long n)
    {
        while (n >= 10 && n % 10 == 0)
        {
            n /= 10;
        }

        return n == 1;
    }

    /// <summary>Tells the observer what the effects did, in their order (after the status is published).</summary>
    private void Notify(IReadOnlyList<ProtocolEffect> effects, int peerCount)
    {
        var observer = setup.Observer;
        for (var i = 0; i < effects.Count; i++)
        {
            switch (effects[i])
            {
                case Broadcast b:
                    observer.OnSent(setup.Index, b.Message, peerCount - 1);
                    break;
                case SendTo s:
                    observer.OnSent(setup.Index, s.Message, 1);
                    break;
                case Observe o:
                    observer.OnEvent(o.Event);
                    break;
            }
        }
    }
}
