using Decentral.Agreement.Tests.Support;

namespace Decentral.Agreement.Tests;

public sealed class MdaaTests
{
    private static readonly ClusterLayout Layout = new([3, 2, 4]); // n = 9: a quorum holds ≥ 5 processes

    private static double[] V(params double[] x) => x;

    [Fact]
    public void Advances_when_the_senders_clusters_hold_a_majority_of_processes()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 3, dimension: 2);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(1, new ProcessId(0, 0), V(0, 0)).Status);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(1, new ProcessId(0, 2), V(4, 0)).Status);
        Assert.Equal(1, mdaa.CurrentRound); // cluster 1 holds 3 of 9 processes
        Assert.Equal(MdaaStatus.Advanced, mdaa.Receive(1, new ProcessId(1, 1), V(1, 1)).Status); // 3 + 2 = 5 > 4.5
        Assert.Equal(2, mdaa.CurrentRound);
    }

    [Fact]
    public void The_advance_carries_the_aggregate_of_exactly_the_quorum_values()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 3, dimension: 2);
        mdaa.Receive(1, new ProcessId(2, 0), V(0, 0));
        mdaa.Receive(1, new ProcessId(2, 3), V(0, 3));
        var outcome = mdaa.Receive(1, new ProcessId(1, 0), V(4, 0)); // 4 + 2 = 6 > 4.5
        Assert.Equal(MdaaStatus.Advanced, outcome.Status);
        var adv = outcome.Advance!;
        Assert.Equal(1, adv.CompletedRound);
        Assert.Equal(2, adv.NextRound);
        Assert.Equal(0, adv.SkippedRounds);
        Assert.False(adv.Finished);
        Assert.Equal([new ProcessId(2, 0), new ProcessId(2, 3), new ProcessId(1, 0)], adv.Senders);
        // Farthest pair is (0,3)–(4,0), distance 5: midpoint (2, 1.5).
        Assert.Equal([2.0, 1.5], adv.Value.ToArray());
        Assert.Equal([0.0, 0.5, 0.5], adv.Weights.ToArray());
        Assert.Equal(2, mdaa.CurrentRound);
        Assert.Equal(MdaaStatus.Stale, mdaa.Receive(1, new ProcessId(0, 0), V(9, 9)).Status);
    }

    [Fact]
    public void Clusters_quorum_needs_a_majority_of_clusters_however_small()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Clusters, rounds: 2, dimension: 1, rule: Mean.Instance);
        mdaa.Receive(1, new ProcessId(2, 0), V(1));
        mdaa.Receive(1, new ProcessId(2, 1), V(2));
        mdaa.Receive(1, new ProcessId(2, 2), V(3));
        mdaa.Receive(1, new ProcessId(2, 3), V(4)); // the whole 4-cluster: still one cluster of three
        var outcome = mdaa.Receive(1, new ProcessId(1, 0), V(10));
        Assert.Equal(MdaaStatus.Advanced, outcome.Status);
        Assert.Equal([4.0], outcome.Advance!.Value.ToArray()); // (1+2+3+4+10)/5
        Assert.All(outcome.Advance.Weights.ToArray(), w => Assert.Equal(0.2, w, 15));
    }

    [Fact]
    public void Duplicates_are_counted_once()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 2, dimension: 1);
        mdaa.Receive(1, new ProcessId(2, 0), V(1));
        Assert.Equal(MdaaStatus.Duplicate, mdaa.Receive(1, new ProcessId(2, 0), V(5)).Status);
        Assert.Equal(1, mdaa.SendersHeld(1));
        Assert.Equal(1, mdaa.DuplicateCount);
        Assert.Equal(1, mdaa.CurrentRound);
    }

    [Fact]
    public void Bad_messages_are_dropped_and_counted_by_reason()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 3, dimension: 2);
        Assert.Equal(MdaaDropReason.UnknownSender, mdaa.Receive(1, new ProcessId(1, 2), V(0, 0)).Reason);
        Assert.Equal(MdaaDropReason.UnknownSender, mdaa.Receive(1, new ProcessId(3, 0), V(0, 0)).Reason);
        Assert.Equal(MdaaDropReason.RoundOutOfRange, mdaa.Receive(0, new ProcessId(0, 0), V(0, 0)).Reason);
        Assert.Equal(MdaaDropReason.RoundOutOfRange, mdaa.Receive(4, new ProcessId(0, 0), V(0, 0)).Reason);
        Assert.Equal(MdaaDropReason.WrongDimension, mdaa.Receive(1, new ProcessId(0, 0), V(0)).Reason);
        Assert.Equal(MdaaDropReason.NonFinite, mdaa.Receive(1, new ProcessId(0, 0), V(0, double.NaN)).Reason);
        Assert.Equal(MdaaDropReason.NonFinite, mdaa.Receive(2, new ProcessId(0, 0), V(double.NegativeInfinity, 0)).Reason);
        Assert.Equal(MdaaStatus.Dropped, mdaa.Receive(1, new ProcessId(0, 0), V(0, double.PositiveInfinity)).Status);
        Assert.Equal(2, mdaa.DroppedCount(MdaaDropReason.UnknownSender));
        Assert.Equal(2, mdaa.DroppedCount(MdaaDropReason.RoundOutOfRange));
        Assert.Equal(3, mdaa.DroppedCount(MdaaDropReason.NonFinite));
        Assert.Equal(8, mdaa.TotalDropped);
        Assert.Equal(0, mdaa.SendersHeld(1));
        // The dropped sender may still send a good value.
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(1, new ProcessId(0, 0), V(0, 0)).Status);
    }

    [Fact]
    public void A_quorum_for_a_later_round_skips_there()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 5, dimension: 1, rule: Mean.Instance);
        mdaa.Receive(1, new ProcessId(0, 0), V(100));
        mdaa.Receive(3, new ProcessId(2, 0), V(1));
        var outcome = mdaa.Receive(3, new ProcessId(1, 1), V(3));
        Assert.Equal(MdaaStatus.Advanced, outcome.Status);
        Assert.Equal(3, outcome.Advance!.CompletedRound);
        Assert.Equal(2, outcome.Advance.SkippedRounds);
        Assert.Equal([2.0], outcome.Advance.Value.ToArray());
        Assert.Equal(4, mdaa.CurrentRound);
        Assert.Equal(2, mdaa.SkippedRounds);
        Assert.Equal(0, mdaa.SendersHeld(1)); // the round-1 buffer is gone
        Assert.Equal(MdaaStatus.Stale, mdaa.Receive(2, new ProcessId(0, 1), V(0)).Status);
    }

    [Fact]
    public void Finishes_after_the_last_round_and_ignores_what_follows()
    {
        var mdaa = new Mdaa(new ClusterLayout([1, 1, 1]), QuorumRule.Clusters, rounds: 2, dimension: 1, rule: Mean.Instance);
        mdaa.Receive(1, new ProcessId(0, 0), V(0));
        Assert.False(mdaa.Receive(1, new ProcessId(1, 0), V(2)).Advance!.Finished);
        mdaa.Receive(2, new ProcessId(2, 0), V(5));
        var last = mdaa.Receive(2, new ProcessId(1, 0), V(7)).Advance!;
        Assert.True(last.Finished);
        Assert.True(mdaa.IsFinished);
        Assert.Equal(3, mdaa.CurrentRound);
        Assert.Equal([6.0], mdaa.Output.ToArray());
        Assert.Equal(MdaaStatus.Stale, mdaa.Receive(2, new ProcessId(0, 0), V(1)).Status);
    }

    [Fact]
    public void Buffered_rounds_are_bounded_the_highest_future_ones_kept_and_the_current_never_refused()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 10, dimension: 1, maxBufferedRounds: 2);
        var p = new ProcessId(1, 0);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(2, p, V(2)).Status);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(3, p, V(3)).Status);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(5, p, V(5)).Status); // evicts round 2
        Assert.Equal(2, mdaa.BufferedRounds);
        Assert.Equal(0, mdaa.SendersHeld(2));
        Assert.Equal(1, mdaa.DroppedCount(MdaaDropReason.BufferFull));
        Assert.Equal(MdaaDropReason.BufferFull, mdaa.Receive(2, new ProcessId(0, 0), V(2)).Reason); // below the kept rounds
        Assert.Equal(2, mdaa.DroppedCount(MdaaDropReason.BufferFull));
        // The current round is never refused: the lowest future round (3) makes room for it.
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(1, p, V(1)).Status);
        Assert.Equal(2, mdaa.BufferedRounds);
        Assert.Equal(1, mdaa.BufferedFutureRounds);
        Assert.Equal(1, mdaa.SendersHeld(1));
        Assert.Equal(1, mdaa.SendersHeld(5));
        Assert.Equal(3, mdaa.DroppedCount(MdaaDropReason.BufferFull));
    }

    [Fact]
    public void Offer_stores_and_TryComplete_without_the_current_round_only_skips_ahead()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 4, dimension: 1, rule: Mean.Instance);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Offer(1, new ProcessId(2, 0), V(1)).Status);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Offer(1, new ProcessId(1, 0), V(3)).Status); // a quorum for round 1 …
        Assert.True(mdaa.HasQuorum(1));
        Assert.Null(mdaa.TryComplete(includeCurrent: false)); // … but the current round waits (for the own value)
        Assert.Equal(1, mdaa.CurrentRound);
        mdaa.Offer(2, new ProcessId(2, 1), V(10));
        mdaa.Offer(2, new ProcessId(1, 1), V(20));
        var skip = mdaa.TryComplete(includeCurrent: false)!; // a later quorum is taken at once
        Assert.Equal(2, skip.CompletedRound);
        Assert.Equal(1, skip.SkippedRounds);
        Assert.Equal([15.0], skip.Value.ToArray());
        Assert.Equal(3, mdaa.CurrentRound);
        Assert.Equal(0, mdaa.SendersHeld(1));
        Assert.Equal(MdaaStatus.Stale, mdaa.Offer(1, new ProcessId(0, 0), V(0)).Status);
    }

    [Fact]
    public void SkipTo_moves_a_resuming_process_forward_and_drops_what_it_passed()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 6, dimension: 1);
        mdaa.Offer(2, new ProcessId(0, 0), V(1));
        mdaa.Offer(5, new ProcessId(0, 0), V(1));
        mdaa.SkipTo(4);
        Assert.Equal(4, mdaa.CurrentRound);
        Assert.Equal(1, mdaa.BufferedRounds);
        Assert.Equal(MdaaStatus.Stale, mdaa.Offer(3, new ProcessId(1, 0), V(1)).Status);
        mdaa.SkipTo(2); // never backwards
        Assert.Equal(4, mdaa.CurrentRound);
        mdaa.SkipTo(7);
        Assert.True(mdaa.IsFinished);
    }

    [Fact]
    public void A_schedule_gives_each_round_its_rule_and_deduplication()
    {
        // Round 0 averages every value (like the protocol's model round); round 1 takes one value per cluster.
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, new TwoPhase(), dimension: 1);
        mdaa.Offer(0, new ProcessId(2, 0), V(0));
        mdaa.Offer(0, new ProcessId(2, 1), V(4));
        var first = mdaa.Receive(0, new ProcessId(1, 0), V(8)).Advance!;
        Assert.Equal([4.0], first.Value.ToArray());
        Assert.Equal(3, first.Senders.Count);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Offer(1, new ProcessId(2, 0), V(0)).Status);
        Assert.Equal(MdaaStatus.Represented, mdaa.Offer(1, new ProcessId(2, 1), V(4)).Status);
        var second = mdaa.Receive(1, new ProcessId(1, 0), V(8)).Advance!;
        Assert.Equal([4.0], second.Value.ToArray()); // mean of one value per cluster: (0 + 8) / 2
        Assert.True(second.Finished);
    }

    [Fact]
    public void A_completion_that_breaks_an_invariant_throws_naming_it()
    {
        var layout = new ClusterLayout([1, 1, 1]);
        var skewed = new Mdaa(layout, QuorumRule.Clusters, 2, 1, new BrokenRule(weight: 0.7, value: 1));
        skewed.Receive(1, new ProcessId(0, 0), V(1));
        Assert.Equal("mdaa.convex-weights", Assert.Throws<InvariantViolationException>(() => skewed.Receive(1, new ProcessId(1, 0), V(1))).Name);
        var overflowing = new Mdaa(layout, QuorumRule.Clusters, 2, 1, new BrokenRule(weight: 0.5, value: double.PositiveInfinity));
        overflowing.Receive(1, new ProcessId(0, 0), V(1));
        var e = Assert.Throws<InvariantViolationException>(() => overflowing.Receive(1, new ProcessId(1, 0), V(1)));
        Assert.Equal("mdaa.finite-value", e.Name);
        Assert.Contains("invariant mdaa.finite-value violated", e.Message, StringComparison.Ordinal);
    }

    private sealed class TwoPhase : IMdaaSchedule
    {
        public int FirstRound => 0;

        public int LastRound => 1;

        public IAggregationRule RuleAt(int round) => Mean.Instance;

        public bool OneValuePerClusterAt(int round) => round == 1;
    }

    /// <summary>A rule with a bug: weights that do not sum to one, or a non-finite output.</summary>
    private sealed class BrokenRule(double weight, double value) : IAggregationRule
    {
        public string Name => "broken";

        public bool ProvidesConvexWeights => true;

        public void Aggregate(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> output, Span<double> weights)
        {
            output.Fill(value);
            weights.Fill(weight);
        }
    }

    [Fact]
    public void Coordinate_wise_rules_advance_without_weights()
    {
        var mdaa = new Mdaa(new ClusterLayout([1, 1, 1]), QuorumRule.Clusters, rounds: 1, dimension: 2, rule: CoordinateWiseMedian.Instance);
        mdaa.Receive(1, new ProcessId(0, 0), V(0, 4));
        var adv = mdaa.Receive(1, new ProcessId(2, 0), V(2, 0)).Advance!;
        Assert.True(adv.Weights.IsEmpty);
        Assert.Equal([1.0, 2.0], adv.Value.ToArray());
    }

    [Fact]
    public void Random_message_orders_always_aggregate_a_quorum_of_first_arrivals()
    {
        var rng = new Random(77);
        for (var t = 0; t < 300; t++)
        {
            var layout = new ClusterLayout(Enumerable.Range(0, 1 + rng.Next(6)).Select(_ => 1 + rng.Next(5)).ToArray());
            var rule = rng.Next(2) == 0 ? QuorumRule.Processes : QuorumRule.Clusters;
            var mdaa = new Mdaa(layout, rule, rounds: 1, dimension: 3);
            var values = Vectors.Random(rng, layout.N, 3);
            var order = Enumerable.Range(0, layout.N).OrderBy(_ => rng.Next()).ToArray();
            var received = new List<int>();
            MdaaAdvance? adv = null;
            foreach (var i in order)
            {
                received.Add(i);
                adv = mdaa.Receive(1, layout.ProcessAt(i), values[i]).Advance;
                if (adv is not null)
                {
                    break;
                }
            }

            Assert.NotNull(adv);
            var senders = received.Select(layout.ProcessAt).ToList();
            Assert.True(rule.IsQuorum(senders, layout), $"trial {t}");
            Assert.False(rule.IsQuorum(senders.Take(senders.Count - 1), layout), $"trial {t}: advanced one message late");
            var inputs = received.Select(i => values[i]).ToList();
            var (a, b) = Naive.FarthestPair(inputs);
            Assert.True(Naive.MaxAbsDifference(inputs[a].Zip(inputs[b], (x, y) => (x + y) / 2).ToArray(), adv!.Value.ToArray()) < 1e-15);
        }
    }

    [Fact]
    public void Bad_construction_is_rejected_naming_the_parameter()
    {
        Assert.Equal("rounds", Assert.Throws<ArgumentOutOfRangeException>(() => new Mdaa(Layout, QuorumRule.Processes, 0, 2)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new Mdaa(Layout, QuorumRule.Processes, 2, 0)).ParamName);
        Assert.Equal("maxBufferedRounds", Assert.Throws<ArgumentOutOfRangeException>(() => new Mdaa(Layout, QuorumRule.Processes, 2, 2, null, 1)).ParamName);
        Assert.Equal("layout", Assert.Throws<ArgumentNullException>(() => new Mdaa(null!, QuorumRule.Processes, 2, 2)).ParamName);
    }

    [Fact]
    public void With_one_value_per_cluster_only_the_first_member_of_a_cluster_is_aggregated()
    {
        var mdaa = new Mdaa(Layout, QuorumRule.Processes, rounds: 2, dimension: 1, rule: Mean.Instance, oneValuePerCluster: true);
        Assert.True(mdaa.OneValuePerCluster);
        Assert.Equal(MdaaStatus.Accepted, mdaa.Receive(1, new ProcessId(2, 1), V(1)).Status);
        Assert.Equal(MdaaStatus.Represented, mdaa.Receive(1, new ProcessId(2, 0), V(100)).Status);
        Assert.Equal(MdaaStatus.Duplicate, mdaa.Receive(1, new ProcessId(2, 1), V(7)).Status);
        var adv = mdaa.Receive(1, new ProcessId(1, 0), V(3)).Advance!; // 4 + 2 = 6 > 4.5
        Assert.Equal([2.0], adv.Value.ToArray());
        Assert.Equal([new ProcessId(2, 1), new ProcessId(1, 0)], adv.Senders);
        Assert.Equal(1, mdaa.RepresentedCount);
        Assert.Equal("oneValuePerCluster", Assert.Throws<ArgumentException>(
            () => new Mdaa(Layout, QuorumRule.Any(3), 2, 1, oneValuePerCluster: true)).ParamName);
    }
}
