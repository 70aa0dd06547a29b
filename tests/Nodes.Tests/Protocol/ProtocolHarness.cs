using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Tests.Protocol;

/// <summary>
/// A minimal seeded event loop for protocol unit tests: no actors, no threads. Effects become queued
/// events with a virtual delivery time; ties are broken by the seed. Links can be cut per direction.
/// </summary>
internal sealed class ProtocolHarness
{
    private readonly PriorityQueue<Action, (long Time, long Tie)> queue = new();
    private readonly Random random;
    private readonly HashSet<(int From, int To)> cut = [];
    private readonly List<DecentralizedSgdProtocol?> nodes = [];
    private readonly Func<int, ResumePoint?, DecentralizedSgdProtocol> create;
    private long now;

    public ProtocolHarness(ProtocolOptions options, Func<int, INodeWorkload> workload, int seed, long messageDelay = 10, long computeDelay = 5)
    {
        Options = options;
        random = new Random(seed);
        MessageDelay = messageDelay;
        ComputeDelayTicks = computeDelay;
        Memories = Enumerable.Range(0, options.Layout.ClusterCount)
            .Select(c => new ClusterMemory(options.Layout.SizeOf(c))).ToArray();
        create = (i, resume) => new DecentralizedSgdProtocol(
            options, i, workload(i), Memories[options.Layout.ProcessAt(i).Cluster], resume);
        for (var i = 0; i < options.Layout.N; i++)
        {
            nodes.Add(create(i, null));
        }
    }

    public ProtocolOptions Options { get; }

    public ClusterMemory[] Memories { get; }

    public long MessageDelay { get; set; }

    public long ComputeDelayTicks { get; }

    public List<ProtocolEvent> Events { get; } = [];

    public Dictionary<int, List<SaveCheckpoint>> Checkpoints { get; } = [];

    public List<ProtocolMessage> Sent { get; } = [];

    public long Now => now;

    public DecentralizedSgdProtocol Node(int i) => nodes[i] ?? throw new InvalidOperationException($"node {i} is crashed");

    public bool IsAlive(int i) => nodes[i] is not null;

    public void StartAll()
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            Apply(i, nodes[i]!.Start());
        }
    }

    public void Cut(int from, int to) => cut.Add((from, to));

    public void Isolate(int node)
    {
        for (var j = 0; j < nodes.Count; j++)
        {
            if (j != node)
            {
                Cut(node, j);
                Cut(j, node);
            }
        }
    }

    public void HealAll() => cut.Clear();

    public void Crash(int node) => nodes[node] = null;

    public void Restart(int node)
    {
        var last = Checkpoints.TryGetValue(node, out var list) && list.Count > 0 ? list[^1] : null;
        var resume = last is null ? null : new ResumePoint(last.Incarnation, last.Iteration, last.Model);
        nodes[node] = create(node, resume);
        Apply(node, nodes[node]!.Start());
    }

    /// <summary>Delivers resend ticks to every live node (what a periodic timer would do).</summary>
    public void TickAll()
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is { } n)
            {
                Apply(i, n.Handle(ResendTick.Instance));
            }
        }
    }

    /// <summary>Runs events until the queue is empty or <paramref name="maxEvents"/> ran; returns events run.</summary>
    public int Run(int maxEvents = 1_000_000, Func<bool>? until = null)
    {
        var count = 0;
        while (count < maxEvents && queue.TryDequeue(out var action, out var key))
        {
            now = key.Time;
            action();
            count++;
            if (until is not null && until())
            {
                break;
            }
        }
        return count;
    }

    /// <summary>Runs to quiescence, ticking resend timers whenever the queue drains, at most <paramref name="ticks"/> times.</summary>
    public void RunWithTicks(int ticks, Func<bool>? until = null)
    {
        for (var k = 0; k < ticks; k++)
        {
            Run(until: until);
            if (until is not null && until())
            {
                return;
            }
            TickAll();
        }
    }

    private void Enqueue(long delay, Action action) => queue.Enqueue(action, (now + delay, random.NextInt64()));

    private void Deliver(int from, int to, ProtocolMessage message)
    {
        if (cut.Contains((from, to)))
        {
            return;
        }
        Enqueue(MessageDelay + random.Next(0, (int)MessageDelay + 1), () =>
        {
            if (nodes[to] is { } n)
            {
                Apply(to, n.Handle(message));
            }
        });
    }

    private void Apply(int node, IReadOnlyList<ProtocolEffect> effects)
    {
        var owner = nodes[node];
        foreach (var effect in effects.ToArray())
        {
            switch (effect)
            {
                case Broadcast b:
                    Sent.Add(b.Message);
                    for (var j = 0; j < nodes.Count; j++)
                    {
                        if (j != node)
                        {
                            Deliver(node, j, b.Message);
                        }
                    }
                    break;
                case SendTo s:
                    Deliver(node, s.Recipient, s.Message);
                    break;
                case ScheduleCompute c:
                    Enqueue(ComputeDelayTicks, () =>
                    {
                        if (ReferenceEquals(nodes[node], owner) && owner is not null)
                        {
                            Apply(node, owner.Handle(new ComputeDone(c.Iteration)));
                        }
                    });
                    break;
                case ScheduleClusterStep st:
                    Enqueue(1, () =>
                    {
                        if (ReferenceEquals(nodes[node], owner) && owner is not null)
                        {
                            Apply(node, owner.Handle(new ClusterStep(st.Stage)));
                        }
                    });
                    break;
                case SaveCheckpoint cp:
                    if (!Checkpoints.TryGetValue(node, out var list))
                    {
                        Checkpoints[node] = list = [];
                    }
                    list.Add(cp);
                    break;
                case Observe o:
                    Events.Add(o.Event);
                    break;
            }
        }
    }
}

/// <summary>f_i(x) = ½‖x − c_i‖² with a fixed target per node: deterministic, easy to reason about.</summary>
internal sealed class QuadraticWorkload(double[] target, double eta, double[]? start = null) : INodeWorkload
{
    public int Dimension => target.Length;

    public double[] InitialModel() => start is null ? new double[target.Length] : (double[])start.Clone();

    public void Perturb(int iteration, ReadOnlySpan<double> x, Span<double> y)
    {
        for (var k = 0; k < y.Length; k++)
        {
            y[k] = x[k] - (eta * (x[k] - target[k]));
        }
    }

    public TimeSpan ComputeDelay(int iteration) => TimeSpan.Zero;
}
