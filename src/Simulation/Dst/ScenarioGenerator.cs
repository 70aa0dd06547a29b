using Decentral.Agreement;
using Decentral.Nodes.Compute;

namespace Decentral.Simulation.Dst;

/// <summary>
/// Draws a <see cref="DstScenario"/> from a seed alone (one independent generator per purpose, so
/// changing how faults are drawn does not change the layout a seed gets). The distributions lean
/// towards the shapes that expose bugs quickly: layouts where some clusters hold exactly half the
/// processes (a quorum one process short is then reachable), slow nodes that make others skip,
/// small stage buffers that force eviction, and fault episodes early enough to leave room for liveness.
/// </summary>
public static class ScenarioGenerator
{
    public static DstScenario Draw(long seed, DstSettings? settings = null)
    {
        var s = settings ?? DstSettings.Default;
        s.Validate();
        var root = new SeededRandom(seed);
        var layoutRandom = root.Fork("dst/layout");
        var workRandom = root.Fork("dst/workload");
        var faultRandom = root.Fork("dst/faults");

        var layout = DrawLayout(layoutRandom, s);
        var quorum = layoutRandom.Chance(s.ClustersQuorumShare) ? QuorumRule.Clusters : QuorumRule.Processes;

        var iterations = Between(workRandom, s.MinIterations, s.MaxIterations);
        var rounds = Between(workRandom, 1, s.MaxRounds);
        var kind = Pick(workRandom, [(ComputeTimeKind.None, 25), (ComputeTimeKind.Fixed, 55), (ComputeTimeKind.Poisson, 10), (ComputeTimeKind.Normal, 10)]);
        var scales = DrawScales(workRandom, kind, layout.N, (s.Faults & DstFaultKinds.SlowNodes) != 0);
        var latency = TimeSpan.FromMilliseconds(1);
        var slowest = kind switch
        {
            ComputeTimeKind.None => 0,
            ComputeTimeKind.Normal => scales.Max() + 1,
            _ => scales.Max(),
        };
        var iterationTime = TimeSpan.FromSeconds(slowest) + (latency * (4 * (rounds + 1))) + TimeSpan.FromMilliseconds(1);
        var resend = (iterationTime * (1 + workRandom.NextDouble())) + TimeSpan.FromMilliseconds(5);
        var scenario = new DstScenario
        {
            Seed = seed,
            Layout = layout,
            Quorum = quorum,
            Dimension = Between(workRandom, s.MinDimension, s.MaxDimension),
            Rows = Between(workRandom, 48, 128),
            BatchSize = Between(workRandom, 4, 16),
            StepSize = 0.05 + (0.25 * workRandom.NextDouble()),
            Iterations = iterations,
            Rounds = rounds,
            ClusterRounds = Between(workRandom, 1, s.MaxClusterRounds),
            FinalRounds = Between(workRandom, s.MinFinalRounds, s.MaxFinalRounds),
            MaxBufferedStages = Pick(workRandom, [(4, 3), (8, 3), (16, 2), (256, 2)]),
            CheckpointEvery = Pick(workRandom, [(1, 7), (2, 2), (3, 1)]),
            CheckpointKeep = Pick(workRandom, [(3, 7), (2, 2), (1, 1)]),
            ComputeTime = kind,
            WorkerScales = scales,
            NetworkLatency = latency,
            ResendInterval = resend,
            IterationTime = iterationTime,
            Episodes = [],
        };
        return scenario with { Episodes = FaultScheduleDrawer.Draw(faultRandom, scenario, s) };
    }

    private static ClusterLayout DrawLayout(SeededRandom random, DstSettings s)
    {
        var m = Math.Min(s.MaxClusters, Pick(random, [(1, 1), (2, 2), (3, 2), (4, 2), (5, 2), (6, 2)]));
        int[] sizes;
        if (m >= 2 && random.Chance(0.3))
        {
            // A "tie" layout: one cluster holds ⌊n/2⌋ processes, so it is exactly one process short of a
            // process-majority quorum on its own (and half of the clusters are short of a cluster majority).
            var first = Between(random, 1, s.MaxClusterSize);
            var restTotal = first + random.Next(2);
            var rest = SplitInto(random, restTotal, m - 1, s.MaxClusterSize);
            sizes = rest is null ? RandomSizes(random, m, s.MaxClusterSize) : [first, .. rest];
        }
        else
        {
            sizes = RandomSizes(random, m, s.MaxClusterSize);
        }
        Shuffle(random, sizes);
        return new ClusterLayout(sizes);
    }

    private static int[] RandomSizes(SeededRandom random, int m, int maxSize)
    {
        var sizes = new int[m];
        for (var c = 0; c < m; c++)
        {
            sizes[c] = Between(random, 1, maxSize);
        }
        return sizes;
    }

    /// <summary>Splits <paramref name="total"/> into <paramref name="parts"/> sizes in 1…max, or null when impossible.</summary>
    private static int[]? SplitInto(SeededRandom random, int total, int parts, int max)
    {
        if (total < parts || total > parts * max)
        {
            return null;
        }
        var sizes = new int[parts];
        Array.Fill(sizes, 1);
        for (var left = total - parts; left > 0;)
        {
            var c = random.Next(parts);
            if (sizes[c] < max)
            {
                sizes[c]++;
                left--;
            }
        }
        return sizes;
    }

    private static double[] DrawScales(SeededRandom random, ComputeTimeKind kind, int n, bool slowNodes)
    {
        var scales = new double[n];
        if (kind == ComputeTimeKind.None)
        {
            return scales;
        }
        // Seconds. Fixed: milliseconds per gradient; Poisson(s) is integer seconds, Normal |N(s,s)| + 1 s.
        var baseScale = kind switch
        {
            ComputeTimeKind.Fixed => 0.0005 + (0.0035 * random.NextDouble()),
            ComputeTimeKind.Poisson => 1 + random.Next(2),
            _ => 0.1 + (0.4 * random.NextDouble()),
        };
        Array.Fill(scales, baseScale);
        if (slowNodes && random.Chance(0.5))
        {
            var slow = 1 + random.Next(Math.Max(1, n / 3));
            for (var i = 0; i < slow; i++)
            {
                scales[random.Next(n)] = baseScale * (3 + random.Next(8));
            }
        }
        return scales;
    }

    internal static int Between(SeededRandom random, int min, int max) => min + random.Next(max - min + 1);

    internal static T Pick<T>(SeededRandom random, (T Value, int Weight)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        var x = random.Next(total);
        foreach (var (value, weight) in choices)
        {
            if (x < weight)
            {
                return value;
            }
            x -= weight;
        }
        return choices[^1].Value;
    }

    internal static void Shuffle<T>(SeededRandom random, T[] items) => random.Shuffle<T>(items);
}
