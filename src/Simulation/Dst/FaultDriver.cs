using Akka.Actor;
using Decentral.Nodes.Checkpoints;
using Decentral.Nodes.Network;
using Decentral.Nodes.Runtime;
using Decentral.Simulation.Dst.Invariants;

namespace Decentral.Simulation.Dst;

/// <summary>
/// Plays a scenario's fault episodes on a simulated run: two tracks (crashes, network), each starting
/// its next episode once the frontier reaches the episode's iteration — or, should progress stall, a
/// fixed while after the track's previous episode ended — and undoing it after its duration. Every
/// action is a turn of the driver's own actor (<see cref="FaultStepActor"/>): it runs between node
/// turns, at a seed-determined point of a seed-determined instant.
/// </summary>
public sealed class FaultDriver
{
    private readonly ClusterRuntime runtime;
    private readonly Simulator simulator;
    private readonly InvariantMonitor monitor;
    private readonly TraceLog trace;
    private readonly Track[] tracks;
    private readonly TimeSpan fallback;
    private readonly IActorRef steps;
    private bool stopped;

    public FaultDriver(ClusterRuntime runtime, Simulator simulator, InvariantMonitor monitor, TraceLog trace, DstScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(scenario);
        this.runtime = runtime;
        this.simulator = simulator;
        this.monitor = monitor;
        this.trace = trace;
        fallback = (scenario.IterationTime * 20) + (scenario.ResendInterval * 4);
        tracks = [new Track([.. scenario.Episodes.Where(e => e.IsCrash)]), new Track([.. scenario.Episodes.Where(e => !e.IsCrash)])];
        monitor.FrontierAdvanced += OnFrontier;
        steps = runtime.Systems[0].ActorOf(
            FaultStepActor.Props((step, ex) => monitor.Report(InvariantNames.Harness, $"fault step '{step.What}' threw {ex.GetType().Name}: {ex.Message}")),
            FaultStepActor.Name);
    }

    /// <summary>True once every episode has been applied and undone (permanent crashes count once applied).</summary>
    public bool AllEnded => tracks.All(t => t.Next >= t.Episodes.Count && !t.Active);

    /// <summary>Virtual time at which the last episode ended (zero when there were none).</summary>
    public TimeSpan LastEnd { get; private set; }

    /// <summary>Makes every step still pending a no-op: the run is over (shutdown may still deliver them).</summary>
    public void Stop() => stopped = true;

    public void Start()
    {
        foreach (var track in tracks)
        {
            Wait(track);
        }
    }

    private void OnFrontier(int frontier)
    {
        if (stopped)
        {
            return;
        }
        foreach (var track in tracks)
        {
            if (track.Waiting && track.Next < track.Episodes.Count && frontier >= track.Episodes[track.Next].AtFrontier)
            {
                // Not inside the node's turn that moved the frontier: a node must not crash mid-handler.
                track.Waiting = false;
                var index = track.Next;
                Post(TimeSpan.Zero, "begin", () => Begin(track, index));
            }
        }
    }

    private void Wait(Track track)
    {
        if (track.Next >= track.Episodes.Count)
        {
            return;
        }
        track.Waiting = true;
        var index = track.Next;
        if (monitor.Frontier >= track.Episodes[index].AtFrontier)
        {
            track.Waiting = false;
            Post(TimeSpan.Zero, "begin", () => Begin(track, index));
            return;
        }
        Post(fallback, "begin after a stall", () =>
        {
            if (track.Waiting && track.Next == index)
            {
                track.Waiting = false;
                Begin(track, index);
            }
        });
    }

    private void Begin(Track track, int index)
    {
        if (stopped || track.Next != index || track.Active)
        {
            return;
        }
        var episode = track.Episodes[index];
        track.Active = true;
        trace.Note($"fault begins (frontier {monitor.Frontier}): {episode.Describe()}");
        Apply(episode);
        if (episode is CrashEpisode { Permanent: true })
        {
            Finish(track);
            return;
        }
        Post(episode.Duration, "end", () =>
        {
            trace.Note($"fault ends (frontier {monitor.Frontier}): {episode.Describe()}");
            Undo(episode);
            Finish(track);
        });
    }

    /// <summary>Hands <paramref name="action"/> to the step actor after <paramref name="delay"/> of virtual time (at once when zero).</summary>
    private void Post(TimeSpan delay, string what, Action action)
    {
        var step = new FaultStep(what, () =>
        {
            if (!stopped)
            {
                action();
            }
        });
        if (delay <= TimeSpan.Zero)
        {
            steps.Tell(step, ActorRefs.NoSender);
        }
        else
        {
            simulator.Schedule(delay, () => steps.Tell(step, ActorRefs.NoSender));
        }
    }

    private void Finish(Track track)
    {
        track.Active = false;
        track.Next++;
        LastEnd = simulator.Now;
        Wait(track);
    }

    private void Apply(FaultEpisode episode)
    {
        var network = runtime.Network;
        switch (episode)
        {
            case CrashEpisode crash:
                foreach (var target in crash.Targets)
                {
                    runtime.Crash(target);
                    foreach (var node in NodesOf(target))
                    {
                        monitor.SetCrashed(node, true);
                    }
                }
                break;
            case PartitionEpisode partition:
                foreach (var link in partition.Blocked)
                {
                    network.Blackhole(Endpoint(link.From), Endpoint(link.To), LinkDirection.Send);
                }
                break;
            case LinkEpisode links:
                foreach (var link in links.Links)
                {
                    var (a, b, t) = (Endpoint(link.From), Endpoint(link.To), links.Trouble);
                    if (t.DelayMean is { } mean)
                    {
                        network.SetDelay(a, b, t.ExponentialDelay ? DelayDistribution.Exponential(mean) : DelayDistribution.Uniform(TimeSpan.Zero, mean * 2), LinkDirection.Send);
                    }
                    network.SetDropProbability(a, b, t.Drop, LinkDirection.Send);
                    network.SetDuplicateProbability(a, b, t.Duplicate, LinkDirection.Send);
                    network.SetReorder(a, b, t.Reorder, t.ReorderMaxDelay, LinkDirection.Send);
                }
                break;
            case ClogEpisode clog:
                foreach (var link in clog.Links)
                {
                    network.SetDelay(Endpoint(link.From), Endpoint(link.To), DelayDistribution.Constant(clog.Hold), LinkDirection.Send);
                }
                break;
        }
    }

    private void Undo(FaultEpisode episode)
    {
        if (episode is not CrashEpisode crash)
        {
            // The network track runs one episode at a time, so healing everything undoes exactly this one.
            runtime.Network.Heal();
            return;
        }
        // This step was posted by a timer, and timers fire only once no mailbox has work: the checkpoint
        // writer has stored every checkpoint the crashed nodes asked for, so "newest" is final here.
        var store = (InMemoryCheckpointStore)runtime.Checkpoints;
        foreach (var (node, damage) in crash.Damage)
        {
            if (store.Count(node) == 0)
            {
                trace.Note($"{node} has no checkpoint to damage");
                continue;
            }
            if (monitor.Checkpoints.IsNewestDamaged(runtime.NodeIndex(node)))
            {
                // Crashed again before writing a new one: flipping the same bit twice would repair it.
                trace.Note($"{node}: newest checkpoint already damaged");
                continue;
            }
            if (damage == CheckpointDamage.Corrupt)
            {
                store.CorruptLatest(node);
            }
            else
            {
                store.TearLatest(node);
            }
            monitor.Checkpoints.OnDamaged(runtime.NodeIndex(node));
            trace.Note($"{node}: newest checkpoint {damage.ToString().ToLowerInvariant()}");
        }
        foreach (var target in crash.Targets)
        {
            foreach (var node in NodesOf(target))
            {
                monitor.SetCrashed(node, false);
            }
            runtime.Restart(target);
        }
    }

    private IEnumerable<int> NodesOf(string target)
    {
        if (target.Contains('/', StringComparison.Ordinal))
        {
            return [runtime.NodeIndex(target)];
        }
        var layout = runtime.Spec.Layout;
        return layout.Members(runtime.ClusterIndex(target)).Select(layout.IndexOf);
    }

    /// <summary>A cluster's endpoint on the runtime's network: its name.</summary>
    private string Endpoint(int cluster) => runtime.Spec.ClusterName(cluster);

    private sealed class Track(List<FaultEpisode> episodes)
    {
        public List<FaultEpisode> Episodes { get; } = episodes;

        public int Next { get; set; }

        public bool Waiting { get; set; }

        public bool Active { get; set; }
    }
}
