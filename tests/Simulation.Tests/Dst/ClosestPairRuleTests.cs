using Decentral.Agreement;
using Decentral.Simulation.Dst;

namespace Decentral.Simulation.Tests.Dst;

public sealed class ClosestPairRuleTests
{
    [Fact]
    public void It_returns_the_midpoint_of_the_closest_pair_with_its_weights()
    {
        var random = new SeededRandom(7);
        for (var trial = 0; trial < 100; trial++)
        {
            var k = 2 + random.Next(6);
            var inputs = Enumerable.Range(0, k).Select(_ => (ReadOnlyMemory<double>)new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToList();
            // Brute force over all pairs, independently of the rule's loop.
            var best = (I: 0, J: 1, D: double.MaxValue);
            for (var i = 0; i < k; i++)
            {
                for (var j = i + 1; j < k; j++)
                {
                    var dist = 0.0;
                    for (var c = 0; c < 3; c++)
                    {
                        dist += Math.Pow(inputs[i].Span[c] - inputs[j].Span[c], 2);
                    }
                    if (dist < best.D)
                    {
                        best = (i, j, dist);
                    }
                }
            }
            var output = new double[3];
            var weights = new double[k];
            ClosestPairRule.Instance.Aggregate(inputs, output, weights);
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal((inputs[best.I].Span[c] + inputs[best.J].Span[c]) / 2, output[c], 15);
            }
            Assert.Equal(0.5, weights[best.I]);
            Assert.Equal(0.5, weights[best.J]);
            Assert.Equal(1.0, weights.Sum(), 15);
        }
    }

    [Fact]
    public void A_single_input_is_returned_with_weight_one()
    {
        var output = new double[2];
        var weights = new double[1];
        ClosestPairRule.Instance.Aggregate([new[] { 3.0, -1.0 }], output, weights);
        Assert.Equal([3.0, -1.0], output);
        Assert.Equal([1.0], weights);
    }

    [Fact]
    public void Bad_input_is_rejected_naming_the_parameter()
    {
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => ClosestPairRule.Instance.Aggregate([], new double[1], [])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => ClosestPairRule.Instance.Aggregate([new[] { 1.0 }, new[] { double.NaN }], new double[1], [])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => ClosestPairRule.Instance.Aggregate([new[] { 1.0 }], new double[2], [])).ParamName);
    }

    [Fact]
    public void Mutant_names_parse_and_unknown_ones_are_rejected()
    {
        foreach (var m in DstMutant.All)
        {
            Assert.Same(m, DstMutant.Parse(m.Name.ToUpperInvariant()));
        }
        Assert.Contains("quorum-one-short", Assert.Throws<ArgumentException>(() => DstMutant.Parse("nope")).Message);
    }
}
