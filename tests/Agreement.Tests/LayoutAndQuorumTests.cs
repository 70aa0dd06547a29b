namespace Decentral.Agreement.Tests;

public sealed class LayoutAndQuorumTests
{
    [Fact]
    public void Layout_numbers_processes_cluster_by_cluster()
    {
        var layout = new ClusterLayout([3, 2, 4]);
        Assert.Equal(9, layout.N);
        Assert.Equal(3, layout.ClusterCount);
        Assert.Equal(2, layout.SizeOf(1));
        Assert.Equal([new ProcessId(1, 0), new ProcessId(1, 1)], layout.Members(1));
        for (var i = 0; i < layout.N; i++)
        {
            Assert.Equal(i, layout.IndexOf(layout.ProcessAt(i)));
        }

        Assert.Equal(new ProcessId(2, 0), layout.ProcessAt(5));
        Assert.Equal("c3/n1", layout.Name(new ProcessId(2, 0)));
        Assert.Equal("c1/n1", new ProcessId(0, 0).ToString());
        Assert.False(layout.Contains(new ProcessId(1, 2)));
        Assert.False(layout.Contains(new ProcessId(3, 0)));
        Assert.Throws<ArgumentException>(() => layout.IndexOf(new ProcessId(1, 2)));
        Assert.Equal("3,2,4", ClusterLayout.ParseSizes("3, 2,4").ToString());
        Assert.Equal(12, ClusterLayout.Uniform(4, 3).N);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 3, 0, 2 })]
    [InlineData(new[] { -1 })]
    public void Layout_rejects_empty_or_non_positive_sizes(int[] sizes) =>
        Assert.Equal("sizes", Assert.Throws<ArgumentException>(() => new ClusterLayout(sizes)).ParamName);

    [Theory]
    [InlineData("")]
    [InlineData("3,,2")]
    [InlineData("a,b")]
    [InlineData("3,0")]
    public void ParseSizes_rejects_bad_lists(string text) =>
        Assert.ThrowsAny<ArgumentException>(() => ClusterLayout.ParseSizes(text));

    [Fact]
    public void ProcessId_rejects_negative_indices()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessId(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessId(0, -1));
    }

    /// <summary>The definitions, applied to a whole set at once.</summary>
    private static bool IsQuorumByDefinition(QuorumRule rule, ClusterLayout layout, IReadOnlyCollection<ProcessId> senders)
    {
        var clusters = senders.Select(s => s.Cluster).Distinct().ToList();
        return rule.Kind switch
        {
            QuorumKind.Processes => 2 * clusters.Sum(layout.SizeOf) > layout.N,
            QuorumKind.Clusters => 2 * clusters.Count > layout.ClusterCount,
            _ => senders.Distinct().Count() >= rule.Count,
        };
    }

    [Fact]
    public void Tracker_agrees_with_the_definitions_after_every_add()
    {
        var rng = new Random(12);
        for (var t = 0; t < 500; t++)
        {
            var layout = new ClusterLayout(Enumerable.Range(0, 1 + rng.Next(8)).Select(_ => 1 + rng.Next(6)).ToArray());
            QuorumRule[] rules = [QuorumRule.Processes, QuorumRule.Clusters, QuorumRule.Any(1 + rng.Next(layout.N))];
            foreach (var rule in rules)
            {
                var tracker = rule.CreateTracker(layout);
                var added = new HashSet<ProcessId>();
                for (var step = 0; step < 2 * layout.N; step++)
                {
                    var p = layout.ProcessAt(rng.Next(layout.N));
                    Assert.Equal(added.Add(p), tracker.Add(p));
                    Assert.Equal(added.Count, tracker.Count);
                    Assert.Equal(IsQuorumByDefinition(rule, layout, added), tracker.IsQuorum);
                    Assert.Equal(IsQuorumByDefinition(rule, layout, added), rule.IsQuorum(added, layout));
                }

                tracker.Reset();
                Assert.Equal(0, tracker.Count);
                Assert.False(tracker.IsQuorum && rule.Kind != QuorumKind.Any);
            }
        }
    }

    [Fact]
    public void A_single_member_represents_its_whole_cluster()
    {
        var layout = new ClusterLayout([5, 1, 1]);
        // n = 7: cluster 1 alone holds 5 > 3.5 processes.
        Assert.True(QuorumRule.Processes.IsQuorum([new ProcessId(0, 3)], layout));
        Assert.False(QuorumRule.Processes.IsQuorum([new ProcessId(1, 0), new ProcessId(2, 0)], layout));
        Assert.False(QuorumRule.Clusters.IsQuorum([new ProcessId(0, 3), new ProcessId(0, 4)], layout));
        Assert.True(QuorumRule.Clusters.IsQuorum([new ProcessId(0, 3), new ProcessId(2, 0)], layout));
    }

    [Fact]
    public void Tracker_rejects_unknown_senders() =>
        Assert.Throws<ArgumentException>(() => QuorumRule.Clusters.CreateTracker(new ClusterLayout([2])).Add(new ProcessId(0, 2)));

    [Theory]
    [InlineData("processes", QuorumKind.Processes, 0)]
    [InlineData("Clusters", QuorumKind.Clusters, 0)]
    [InlineData("any:3", QuorumKind.Any, 3)]
    public void Parse_accepts_the_documented_forms(string text, QuorumKind kind, int count)
    {
        var rule = QuorumRule.Parse(text);
        Assert.Equal(kind, rule.Kind);
        Assert.Equal(count, rule.Count);
        Assert.Equal(text.ToLowerInvariant(), rule.ToString());
    }

    [Theory]
    [InlineData("majority")]
    [InlineData("any:0")]
    [InlineData("any:")]
    [InlineData("any:x")]
    [InlineData("")]
    public void Parse_rejects_unknown_forms(string text) =>
        Assert.Equal("text", Assert.Throws<ArgumentException>(() => QuorumRule.Parse(text)).ParamName);

    [Fact]
    public void A_rule_that_can_never_be_met_is_rejected()
    {
        var layout = new ClusterLayout([2, 2]);
        Assert.Equal("layout", Assert.Throws<ArgumentException>(() => QuorumRule.Any(5).Validate(layout)).ParamName);
        Assert.Throws<ArgumentException>(() => QuorumRule.Any(5).CreateTracker(layout));
        Assert.Throws<ArgumentException>(() => new Mdaa(layout, QuorumRule.Any(5), 3, 2));
        QuorumRule.Any(4).Validate(layout);
    }

    [Fact]
    public void MaxTolerableCrashes_is_exactly_what_every_crash_set_survives()
    {
        var rng = new Random(5);
        for (var t = 0; t < 150; t++)
        {
            var layout = new ClusterLayout(Enumerable.Range(0, 1 + rng.Next(5)).Select(_ => 1 + rng.Next(4)).ToArray());
            if (layout.N > 12)
            {
                continue;
            }

            foreach (var rule in new[] { QuorumRule.Processes, QuorumRule.Clusters, QuorumRule.Any(1 + rng.Next(layout.N)) })
            {
                // Brute force: the smallest crash set that leaves no quorum among the survivors.
                var smallestBreaking = int.MaxValue;
                for (var mask = 0; mask < 1 << layout.N; mask++)
                {
                    var survivors = layout.Processes.Where((_, i) => (mask & (1 << i)) == 0).ToList();
                    if (!IsQuorumByDefinition(rule, layout, survivors))
                    {
                        smallestBreaking = Math.Min(smallestBreaking, System.Numerics.BitOperations.PopCount((uint)mask));
                    }
                }

                Assert.Equal(smallestBreaking - 1, rule.MaxTolerableCrashes(layout));
            }
        }
    }
}
