using Decentral.Agreement;
using Decentral.Simulation.Dst;
using Decentral.Simulation.Dst.Invariants;
using Decentral.Nodes.Protocol;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Dst;

public sealed class ContractionInvariantTests(ITestOutputHelper output)
{
    private static readonly Stage Round1 = new(1, 1);

    /// <summary>Node <paramref name="node"/> completes <paramref name="stage"/> with <paramref name="rule"/> over the given senders' messages.</summary>
    private static StageCompleted Complete(int node, Stage stage, IAggregationRule rule, IReadOnlyList<(int Sender, double[] Value)> received)
    {
        var inputs = received.Select(r => (ReadOnlyMemory<double>)r.Value).ToList();
        var value = new double[received[0].Value.Length];
        var weights = new double[received.Count];
        rule.Aggregate(inputs, value, weights);
        return new StageCompleted(node, stage, [.. received.Select(r => r.Sender)], weights, value, false, stage);
    }

    [Fact]
    public void The_pairwise_bound_holds_for_MidExtremes_on_random_sets_and_breaks_for_the_closest_pair()
    {
        // The bound ‖v_i − v_j‖² ≤ D² − (δ_i² + δ_j²)/4 is a theorem for MidExtremes; check it on many random
        // overlapping receive sets, and that the wrong-pair rule violates it on the same kind of input.
        const long seed = 20_251_122;
        var random = new SeededRandom(seed);
        var closestCaught = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var d = 1 + random.Next(6);
            var n = 3 + random.Next(8);
            var messages = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToArray();
            var log = new SentLog();
            for (var s = 0; s < n; s++)
            {
                log.Record(new RoundMessage(1, 1, s, messages[s]));
            }
            var good = new ContractionInvariant(log);
            var bad = new ContractionInvariant(log);
            string? badProblem = null;
            for (var node = 0; node < 4; node++)
            {
                var subset = Enumerable.Range(0, n).Where(_ => random.Chance(0.6)).Select(s => (s, messages[s])).ToList();
                if (subset.Count == 0)
                {
                    subset.Add((0, messages[0]));
                }
                var problem = good.OnCompleted(Complete(node, Round1, MidExtremes.Instance, subset));
                Assert.True(problem is null, $"seed {seed}, trial {trial}: {problem}");
                badProblem ??= bad.OnCompleted(Complete(node, Round1, ClosestPairRule.Instance, subset));
            }
            closestCaught += badProblem is null ? 0 : 1;
        }
        output.WriteLine($"the closest-pair rule broke the bound in {closestCaught} of 300 trials");
        Assert.True(closestCaught > 30, $"seed {seed}: only {closestCaught} of 300");
    }

    [Fact]
    public void Two_nodes_that_picked_near_pairs_at_opposite_ends_fail_check_a()
    {
        // On a line: 0, 0.1, 0.9, 1. Node 5 hears {0, 0.1, 0.9} and node 6 hears {0.1, 0.9, 1}: MidExtremes gives
        // 0.45 and 0.55; the closest pairs give 0.05 and 0.95 — 0.9 apart, above √(1 − (0.81 + 0.81)/4) ≈ 0.77.
        var values = new[] { new[] { 0.0 }, new[] { 0.1 }, new[] { 0.9 }, new[] { 1.0 } };
        var log = new SentLog();
        for (var s = 0; s < 4; s++)
        {
            log.Record(new RoundMessage(1, 1, s, values[s]));
        }
        var invariant = new ContractionInvariant(log);
        Assert.Null(invariant.OnCompleted(new StageCompleted(5, Round1, [0, 1, 2], [0.5, 0.5, 0], [0.05], false, Round1)));
        var problem = invariant.OnCompleted(new StageCompleted(6, Round1, [1, 2, 3], [0, 0.5, 0.5], [0.95], false, Round1));
        Assert.Contains("MidExtremes keeps them within", problem);

        var correct = new ContractionInvariant(log);
        Assert.Null(correct.OnCompleted(new StageCompleted(5, Round1, [0, 1, 2], [0.5, 0, 0.5], [0.45], false, Round1)));
        Assert.Null(correct.OnCompleted(new StageCompleted(6, Round1, [1, 2, 3], [0.5, 0, 0.5], [0.55], false, Round1)));
        Assert.Equal(1, correct.PairsChecked);
    }

    [Fact]
    public void A_round_whose_messages_leave_the_previous_rounds_hull_fails_check_b()
    {
        // Round 0 ends at 0 and 0.1 (Δ₂ = 0.1). Round-1 messages 0, 10 and 20 cannot come from in-cluster
        // agreement over those values; two nodes share the message 10 and end 10 apart: no contraction.
        var log = new SentLog();
        log.Record(new ModelMessage(1, 0, [0.0]));
        log.Record(new ModelMessage(1, 1, [0.1]));
        log.Record(new RoundMessage(1, 1, 0, [0.0]));
        log.Record(new RoundMessage(1, 1, 1, [10.0]));
        log.Record(new RoundMessage(1, 1, 2, [20.0]));
        var invariant = new ContractionInvariant(log);
        var round0 = new Stage(1, 0);
        Assert.Null(invariant.OnCompleted(new StageCompleted(0, round0, [0], [1.0], [0.0], false, round0)));
        Assert.Null(invariant.OnCompleted(new StageCompleted(1, round0, [1], [1.0], [0.1], false, round0)));
        Assert.Null(invariant.OnCompleted(new StageCompleted(0, Round1, [0, 1], [0.5, 0.5], [5.0], false, Round1)));
        Assert.Null(invariant.OnCompleted(new StageCompleted(1, Round1, [1, 2], [0.5, 0.5], [15.0], false, Round1)));
        Assert.Contains("did not contract", invariant.Finish());
    }

    [Fact]
    public void A_round_that_contracts_by_the_factor_passes_check_b()
    {
        var log = new SentLog();
        log.Record(new RoundMessage(1, 1, 0, [0.0]));
        log.Record(new RoundMessage(1, 1, 1, [1.0]));
        log.Record(new RoundMessage(1, 2, 0, [0.5]));
        log.Record(new RoundMessage(1, 2, 1, [0.5]));
        var invariant = new ContractionInvariant(log);
        Assert.Null(invariant.OnCompleted(new StageCompleted(0, Round1, [0], [1.0], [0.0], false, Round1)));
        Assert.Null(invariant.OnCompleted(new StageCompleted(1, Round1, [1], [1.0], [1.0], false, Round1)));
        var round2 = new Stage(1, 2);
        Assert.Null(invariant.OnCompleted(new StageCompleted(0, round2, [0, 1], [0.5, 0.5], [0.5], false, round2)));
        Assert.Null(invariant.OnCompleted(new StageCompleted(1, round2, [0, 1], [0.5, 0.5], [0.5], false, round2)));
        Assert.Null(invariant.Finish());
        Assert.Equal(1, invariant.RoundsChecked);
    }

    [Fact]
    public void Completions_with_an_ambiguous_input_are_left_out()
    {
        var log = new SentLog();
        log.Record(new RoundMessage(1, 1, 0, [0.0]));
        log.Record(new RoundMessage(1, 1, 1, [1.0]));
        log.Record(new RoundMessage(1, 1, 1, [3.0]));
        var invariant = new ContractionInvariant(log);
        Assert.Null(invariant.OnCompleted(new StageCompleted(0, Round1, [0, 1], [0.5, 0.5], [0.5], false, Round1)));
        Assert.Null(invariant.OnCompleted(new StageCompleted(1, Round1, [0, 1], [0.5, 0.5], [1.5], false, Round1)));
        Assert.Equal(0, invariant.PairsChecked);
    }
}
