using Decentral.Agreement;
using Decentral.Nodes.Runtime;

namespace Decentral.Simulation.Dst;

/// <summary>
/// Draws a scenario's fault episodes. Every episode starts by iteration 0.6·T and is drawn short
/// enough to end by about 0.9·T of fault-free progress, so the run has room to show liveness after
/// the last fault; crash sets always leave a quorum of processes up.
/// </summary>
internal static class FaultScheduleDrawer
{
    public static IReadOnlyList<FaultEpisode> Draw(SeededRandom random, DstScenario scenario, DstSettings s)
    {
        var count = s.MaxEpisodes == 0 ? 0 : ScenarioGenerator.Pick(random, [(0, 1), (1, 3), (2, 3), (3, 2), (4, 1)]);
        count = Math.Min(count, s.MaxEpisodes);
        var episodes = new List<FaultEpisode>();
        var kinds = Applicable(scenario, s.Faults);
        if (kinds.Count == 0)
        {
            return episodes;
        }
        var t = scenario.Iterations;
        var latestStart = Math.Max(2, (int)(0.6 * t));
        for (var i = 0; i < count; i++)
        {
            var at = ScenarioGenerator.Between(random, 2, latestStart);
            var maxUnits = Math.Max(2, (int)(0.9 * t) - at);
            var duration = scenario.IterationTime * ScenarioGenerator.Between(random, 2, Math.Min(maxUnits, Math.Max(2, (int)(0.3 * t))));
            var kind = kinds[random.Next(kinds.Count)];
            FaultEpisode? episode = kind switch
            {
                DstFaultKinds.Crash => CrashMinority(random, scenario, s, at, duration),
                DstFaultKinds.CrashAllButQuorum => CrashAllButQuorum(random, scenario, s, at, duration),
                DstFaultKinds.Partition => Partition(random, scenario.Layout.ClusterCount, at, duration),
                DstFaultKinds.Link => Links(random, scenario, at, duration),
                _ => Clog(random, scenario, at, duration),
            };
            if (episode is not null)
            {
                episodes.Add(episode);
            }
        }
        // Each track runs its episodes in trigger order. Only the last crash may be for good: earlier
        // permanent crashes would add up past what the quorum tolerates.
        var ordered = episodes.OrderBy(e => e.AtFrontier).ToList();
        var lastCrash = ordered.FindLastIndex(e => e.IsCrash);
        for (var i = 0; i < lastCrash; i++)
        {
            if (ordered[i] is CrashEpisode { Permanent: true } c)
            {
                ordered[i] = c with { Permanent = false };
            }
        }
        return ordered;
    }

    private static List<DstFaultKinds> Applicable(DstScenario scenario, DstFaultKinds enabled)
    {
        var kinds = new List<DstFaultKinds>();
        var tolerable = scenario.Quorum.MaxTolerableCrashes(scenario.Layout);
        if ((enabled & DstFaultKinds.Crash) != 0 && tolerable > 0)
        {
            kinds.Add(DstFaultKinds.Crash);
        }
        if ((enabled & DstFaultKinds.CrashAllButQuorum) != 0 && scenario.Layout.ClusterCount >= 2)
        {
            kinds.Add(DstFaultKinds.CrashAllButQuorum);
        }
        if (scenario.Layout.ClusterCount >= 2)
        {
            foreach (var k in new[] { DstFaultKinds.Partition, DstFaultKinds.Link, DstFaultKinds.Clog })
            {
                if ((enabled & k) != 0)
                {
                    kinds.Add(k);
                }
            }
        }
        return kinds;
    }

    private static CrashEpisode? CrashMinority(SeededRandom random, DstScenario scenario, DstSettings s, int at, TimeSpan duration)
    {
        var layout = scenario.Layout;
        var tolerable = scenario.Quorum.MaxTolerableCrashes(layout);
        var victims = Enumerable.Range(0, layout.N).ToArray();
        ScenarioGenerator.Shuffle(random, victims);
        var chosen = new HashSet<int>(victims.Take(1 + random.Next(tolerable)));
        var permanent = random.Chance(0.15);
        return Crash(random, scenario, s, at, duration, "minority", chosen, permanent);
    }

    private static CrashEpisode? CrashAllButQuorum(SeededRandom random, DstScenario scenario, DstSettings s, int at, TimeSpan duration)
    {
        var layout = scenario.Layout;
        var order = Enumerable.Range(0, layout.ClusterCount).ToArray();
        ScenarioGenerator.Shuffle(random, order);
        var tracker = scenario.Quorum.CreateTracker(layout);
        var kept = new HashSet<int>();
        foreach (var c in order)
        {
            if (tracker.IsQuorum)
            {
                break;
            }
            kept.Add(c);
            tracker.Add(layout.Members(c)[0]);
        }
        var chosen = new HashSet<int>(Enumerable.Range(0, layout.N).Where(i => !kept.Contains(layout.ProcessAt(i).Cluster)));
        return chosen.Count == 0 ? null : Crash(random, scenario, s, at, duration, "all-but-quorum", chosen, permanent: false);
    }

    private static CrashEpisode Crash(
        SeededRandom random, DstScenario scenario, DstSettings s, int at, TimeSpan duration, string kind, HashSet<int> chosen, bool permanent)
    {
        var layout = scenario.Layout;
        var targets = new List<string>();
        for (var c = 0; c < layout.ClusterCount; c++)
        {
            var members = layout.Members(c).Select(layout.IndexOf).ToList();
            if (members.All(chosen.Contains) && random.Chance(0.6))
            {
                targets.Add(ClusterName(c));
                continue;
            }
            targets.AddRange(members.Where(chosen.Contains).Select(i => NodeName(layout, i)));
        }
        var damage = new List<(string, CheckpointDamage)>();
        if (!permanent && (s.Faults & DstFaultKinds.CheckpointDamage) != 0)
        {
            foreach (var i in chosen.Order())
            {
                if (random.Chance(0.35))
                {
                    damage.Add((NodeName(layout, i), random.Chance(0.5) ? CheckpointDamage.Corrupt : CheckpointDamage.Torn));
                }
            }
        }
        return new CrashEpisode(at, duration, kind, targets, damage, permanent);
    }

    private static PartitionEpisode Partition(SeededRandom random, int m, int at, TimeSpan duration)
    {
        var kinds = m >= 4 ? new[] { "halves", "isolate-one", "majority-ring", "one-way" } : ["halves", "isolate-one", "one-way"];
        var kind = kinds[random.Next(kinds.Length)];
        var blocked = new List<Link>();
        switch (kind)
        {
            case "isolate-one":
            {
                var lone = random.Next(m);
                blocked.AddRange(Cut([lone], m, bothWays: true));
                break;
            }
            case "majority-ring":
            {
                // Each cluster still reaches its ring neighbours within distance k, a majority of the
                // clusters counting itself, but no two clusters see the same majority.
                var order = Enumerable.Range(0, m).ToArray();
                ScenarioGenerator.Shuffle(random, order);
                var majority = (m / 2) + 1;
                var k = majority / 2;
                for (var i = 0; i < m; i++)
                {
                    for (var j = 0; j < m; j++)
                    {
                        var distance = Math.Min(Math.Abs(i - j), m - Math.Abs(i - j));
                        if (distance > k)
                        {
                            blocked.Add(new Link(order[i], order[j]));
                        }
                    }
                }
                break;
            }
            default:
            {
                var side = RandomProperSubset(random, m);
                blocked.AddRange(Cut(side, m, bothWays: kind == "halves"));
                break;
            }
        }
        return new PartitionEpisode(at, duration, kind, blocked);
    }

    private static LinkEpisode Links(SeededRandom random, DstScenario scenario, int at, TimeSpan duration)
    {
        var links = PickLinks(random, scenario.Layout.ClusterCount, allShare: 0.3);
        var unit = Max(scenario.IterationTime * 0.5, TimeSpan.FromMilliseconds(2));
        TimeSpan? delay = random.Chance(0.5) ? unit * (0.2 + (1.8 * random.NextDouble())) : null;
        var drop = random.Chance(0.5) ? 0.05 + (0.45 * random.NextDouble()) : 0;
        var duplicate = random.Chance(0.5) ? 0.05 + (0.45 * random.NextDouble()) : 0;
        var reorder = random.Chance(0.5) || (delay is null && drop == 0 && duplicate == 0) ? 0.1 + (0.4 * random.NextDouble()) : 0;
        var trouble = new LinkTrouble(delay, random.Chance(0.5), drop, duplicate, reorder, unit * (0.5 + (1.5 * random.NextDouble())));
        return new LinkEpisode(at, duration, links, trouble);
    }

    private static ClogEpisode Clog(SeededRandom random, DstScenario scenario, int at, TimeSpan duration)
    {
        var links = PickLinks(random, scenario.Layout.ClusterCount, allShare: 0);
        var hold = scenario.IterationTime * (1 + (4 * random.NextDouble()));
        return new ClogEpisode(at, duration, links, hold);
    }

    /// <summary>Every directed link with probability <paramref name="allShare"/>, else 1–3 random pairs (both ways or one way).</summary>
    private static List<Link> PickLinks(SeededRandom random, int m, double allShare)
    {
        var links = new List<Link>();
        if (random.Chance(allShare))
        {
            for (var a = 0; a < m; a++)
            {
                for (var b = 0; b < m; b++)
                {
                    if (a != b)
                    {
                        links.Add(new Link(a, b));
                    }
                }
            }
            return links;
        }
        var pairs = 1 + random.Next(3);
        for (var p = 0; p < pairs; p++)
        {
            var a = random.Next(m);
            var b = (a + 1 + random.Next(m - 1)) % m;
            AddOnce(links, new Link(a, b));
            if (random.Chance(0.7))
            {
                AddOnce(links, new Link(b, a));
            }
        }
        return links;
    }

    private static void AddOnce(List<Link> links, Link link)
    {
        if (!links.Contains(link))
        {
            links.Add(link);
        }
    }

    private static int[] RandomProperSubset(SeededRandom random, int m)
    {
        var order = Enumerable.Range(0, m).ToArray();
        ScenarioGenerator.Shuffle(random, order);
        return order[..(1 + random.Next(m - 1))];
    }

    private static IEnumerable<Link> Cut(int[] side, int m, bool bothWays)
    {
        var inside = new HashSet<int>(side);
        for (var a = 0; a < m; a++)
        {
            for (var b = 0; b < m; b++)
            {
                if (inside.Contains(a) && !inside.Contains(b))
                {
                    yield return new Link(a, b);
                    if (bothWays)
                    {
                        yield return new Link(b, a);
                    }
                }
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static string ClusterName(int cluster) => ClusterRunSpec.DefaultClusterPrefix + (cluster + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string NodeName(ClusterLayout layout, int index)
    {
        var p = layout.ProcessAt(index);
        return ClusterName(p.Cluster) + "/n" + (p.Member + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
