using Decentral.Agreement;
using Decentral.Simulation.Dst;

namespace Decentral.Simulation.Tests.Dst;

public sealed class ScenarioGeneratorTests
{
    [Fact]
    public void The_same_seed_draws_the_same_scenario()
    {
        for (var seed = 1L; seed <= 50; seed++)
        {
            var a = ScenarioGenerator.Draw(seed);
            var b = ScenarioGenerator.Draw(seed);
            Assert.Equal(a.Describe(), b.Describe());
            Assert.Equal(a.Episodes.Select(e => e.ToString()), b.Episodes.Select(e => e.ToString()));
        }
    }

    [Fact]
    public void Scenarios_stay_inside_the_configured_ranges()
    {
        var s = DstSettings.Default;
        for (var seed = 1L; seed <= 400; seed++)
        {
            var x = ScenarioGenerator.Draw(seed);
            Assert.InRange(x.Layout.ClusterCount, 1, s.MaxClusters);
            Assert.All(x.Layout.Sizes, size => Assert.InRange(size, 1, s.MaxClusterSize));
            Assert.InRange(x.Dimension, s.MinDimension, s.MaxDimension);
            Assert.InRange(x.Iterations, s.MinIterations, s.MaxIterations);
            Assert.InRange(x.Rounds, 1, s.MaxRounds);
            Assert.InRange(x.ClusterRounds, 1, s.MaxClusterRounds);
            Assert.InRange(x.FinalRounds, s.MinFinalRounds, s.MaxFinalRounds);
            Assert.InRange(x.Episodes.Count, 0, s.MaxEpisodes);
            Assert.All(x.Episodes, e => Assert.InRange(e.AtFrontier, 2, Math.Max(2, (int)(0.6 * x.Iterations))));
        }
    }

    [Fact]
    public void Every_crash_leaves_a_quorum_up_and_only_the_last_crash_is_for_good()
    {
        var permanent = 0;
        for (var seed = 1L; seed <= 600; seed++)
        {
            var x = ScenarioGenerator.Draw(seed);
            var crashes = x.Episodes.OfType<CrashEpisode>().ToList();
            for (var i = 0; i < crashes.Count; i++)
            {
                var down = new HashSet<int>(crashes[i].Targets.SelectMany(t => NodesOf(x.Layout, t)));
                var up = Enumerable.Range(0, x.Layout.N).Where(n => !down.Contains(n)).Select(x.Layout.ProcessAt);
                Assert.True(x.Quorum.IsQuorum(up, x.Layout), $"seed {seed}: {crashes[i]} leaves no quorum of {x.Layout} ({x.Quorum})");
                if (crashes[i].Permanent)
                {
                    permanent++;
                    Assert.Equal(crashes.Count - 1, i);
                    Assert.Empty(crashes[i].Damage);
                }
            }
        }
        Assert.True(permanent > 0, "no permanent crash was drawn in 600 seeds");
    }

    [Fact]
    public void Every_fault_kind_and_tie_layouts_show_up_within_a_few_hundred_seeds()
    {
        var kinds = new HashSet<string>();
        var ties = 0;
        for (var seed = 1L; seed <= 300; seed++)
        {
            var x = ScenarioGenerator.Draw(seed);
            foreach (var e in x.Episodes)
            {
                kinds.Add(e switch
                {
                    CrashEpisode c => "crash " + c.Kind + (c.Damage.Count > 0 ? " damage" : string.Empty),
                    PartitionEpisode p => "partition " + p.Kind,
                    LinkEpisode => "link",
                    ClogEpisode => "clog",
                    _ => "?",
                });
            }
            // A tie layout: some cluster holds exactly ⌊n/2⌋ processes, one short of a majority.
            ties += x.Layout.Sizes.Any(size => size == x.Layout.N / 2) && x.Layout.ClusterCount > 1 ? 1 : 0;
        }
        foreach (var expected in new[] { "crash minority", "crash all-but-quorum", "partition halves", "partition isolate-one", "partition majority-ring", "partition one-way", "link", "clog" })
        {
            Assert.Contains(kinds, k => k.StartsWith(expected, StringComparison.Ordinal));
        }
        Assert.Contains(kinds, k => k.EndsWith("damage", StringComparison.Ordinal));
        Assert.True(ties >= 30, $"only {ties} tie layouts in 300 seeds");
    }

    [Fact]
    public void Fault_kinds_can_be_switched_off()
    {
        var settings = DstSettings.Default with { Faults = DstFaultKinds.Partition };
        for (var seed = 1L; seed <= 100; seed++)
        {
            Assert.All(ScenarioGenerator.Draw(seed, settings).Episodes, e => Assert.IsType<PartitionEpisode>(e));
        }
    }

    private static IEnumerable<int> NodesOf(ClusterLayout layout, string target)
    {
        var parts = target.Split('/');
        var cluster = int.Parse(parts[0][1..], System.Globalization.CultureInfo.InvariantCulture) - 1;
        var first = layout.FirstIndexOf(cluster);
        return parts.Length == 1
            ? Enumerable.Range(first, layout.SizeOf(cluster))
            : [first + int.Parse(parts[1][1..], System.Globalization.CultureInfo.InvariantCulture) - 1];
    }
}
