using Decentral.Agreement.Tests.Support;

namespace Decentral.Agreement.Tests;

public sealed class AggregationRuleTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 5 }, { 2, 1 }, { 3, 1_000 }, { 7, 33 }, { 9, 4_100 }, { 33, 500 }, { 50, 20 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MidExtremes_is_the_midpoint_of_the_farthest_pair(int k, int d)
    {
        var xs = Vectors.Random(new Random((k * 31) + d), k, d);
        var (i, j) = Naive.FarthestPair(xs);
        var expected = xs[i].Zip(xs[j], (a, b) => (a + b) / 2).ToArray();
        var output = new double[d];
        var w = new double[k];
        MidExtremes.Instance.Aggregate(Vectors.Memories(xs), output, w);
        Assert.True(Naive.MaxAbsDifference(expected, output) < 1e-15, "midpoint");
        Assert.Equal((i, j), MidExtremes.FarthestPair(Vectors.Memories(xs)));
        AssertConvexWeights(xs, output, w);
    }

    [Fact]
    public void MidExtremes_breaks_ties_towards_the_lowest_pair()
    {
        // A square: both diagonals (0,2) and (1,3) are farthest; the lower pair (0,2) wins in any order of discovery.
        double[][] square = [[0, 0], [1, 0], [1, 1], [0, 1]];
        Assert.Equal((0, 2), MidExtremes.FarthestPair(Vectors.Memories(square)));
        // Identical inputs: every distance is 0, so the first pair.
        double[][] same = [[5, 5], [5, 5], [5, 5]];
        Assert.Equal((0, 1), MidExtremes.FarthestPair(Vectors.Memories(same)));
        Assert.Equal([5.0, 5.0], MidExtremes.Instance.Aggregate(Vectors.Memories(same)));
    }

    [Fact]
    public void Mean_matches_the_plain_average_with_uniform_weights()
    {
        var xs = Vectors.Random(new Random(4), 6, 777);
        var output = new double[777];
        var w = new double[6];
        Mean.Instance.Aggregate(Vectors.Memories(xs), output, w);
        Assert.True(Naive.MaxAbsDifference(Naive.Mean(xs), output) < 1e-14);
        Assert.All(w, x => Assert.Equal(1.0 / 6, x, 15));
        AssertConvexWeights(xs, output, w);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(5, 300)]
    [InlineData(6, 5_000)]
    [InlineData(20, 50)]
    public void Median_matches_sorting_and_stays_in_the_coordinate_box(int k, int d)
    {
        var xs = Vectors.Random(new Random(k + d), k, d);
        var output = CoordinateWiseMedian.Instance.Aggregate(Vectors.Memories(xs));
        Assert.True(Naive.MaxAbsDifference(Naive.TrimmedAverage(xs, (k - 1) / 2), output) < 1e-15);
        AssertInBox(xs, output);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 3)]
    [InlineData(1, 9)]
    [InlineData(2, 9)]
    [InlineData(2, 4)] // k ≤ 2f: degrades to the median
    [InlineData(3, 1)]
    public void TrimmedMean_matches_sorting_and_degrades_to_the_median(int f, int k)
    {
        var xs = Vectors.Random(new Random((f * 10) + k), k, 200);
        var output = new TrimmedMean(f).Aggregate(Vectors.Memories(xs));
        var drop = Math.Min(f, (k - 1) / 2);
        Assert.True(Naive.MaxAbsDifference(Naive.TrimmedAverage(xs, drop), output) < 1e-14);
        AssertInBox(xs, output);
    }

    [Fact]
    public void Coordinate_wise_rules_are_not_whole_vector_convex_combinations()
    {
        Assert.False(CoordinateWiseMedian.Instance.ProvidesConvexWeights);
        Assert.False(new TrimmedMean(1).ProvidesConvexWeights);
        Assert.True(MidExtremes.Instance.ProvidesConvexWeights);
        Assert.True(Mean.Instance.ProvidesConvexWeights);

        // (1,0,0), (0,1,0), (0,0,1): the coordinate-wise median is (0,0,0), which is not in their hull
        // (every hull point has coordinates summing to 1).
        double[][] basis = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
        var median = CoordinateWiseMedian.Instance.Aggregate(Vectors.Memories(basis));
        Assert.Equal([0.0, 0, 0], median);
        Assert.True(Hull.Distance(basis, median) > 0.5);
    }

    [Fact]
    public void Weights_are_refused_by_rules_that_cannot_provide_them()
    {
        var xs = Vectors.Memories(Vectors.Random(new Random(1), 3, 4));
        var e = Assert.Throws<ArgumentException>(() => CoordinateWiseMedian.Instance.Aggregate(xs, new double[4], new double[3]));
        Assert.Equal("weights", e.ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => MidExtremes.Instance.Aggregate(xs, new double[4], new double[2])).ParamName);
    }

    public static TheoryData<string> RuleNames => new() { "mid-extremes", "mean", "median", "trimmed-mean", "trimmed-mean:2" };

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Every_rule_rejects_bad_input_naming_the_parameter(string name)
    {
        var rule = AggregationRules.Parse(name);
        var good = Vectors.Random(new Random(2), 4, 10);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => rule.Aggregate([], new double[10], [])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => rule.Aggregate(Vectors.Memories([good[0], new double[9]]), new double[10], [])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => rule.Aggregate(Vectors.Memories(good), new double[11], [])).ParamName);
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var xs = good.Select(x => x.ToArray()).ToArray();
            xs[2][7] = bad;
            var e = Assert.Throws<ArgumentException>(() => rule.Aggregate(Vectors.Memories(xs), new double[10], []));
            Assert.Equal("inputs", e.ParamName);
            Assert.Contains("Vector 2", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => rule.Aggregate(Vectors.Memories([xs[2]])));
        }
    }

    [Theory]
    [InlineData("mid-extremes", "mid-extremes")]
    [InlineData("MEAN", "mean")]
    [InlineData(" median ", "median")]
    [InlineData("trimmed-mean", "trimmed-mean:1")]
    [InlineData("trimmed-mean:3", "trimmed-mean:3")]
    [InlineData("trimmed-mean:0", "trimmed-mean:0")]
    public void Parse_accepts_the_documented_names(string text, string name) =>
        Assert.Equal(name, AggregationRules.Parse(text).Name);

    [Theory]
    [InlineData("")]
    [InlineData("midextremes")]
    [InlineData("trimmed-mean:")]
    [InlineData("trimmed-mean:-1")]
    [InlineData("trimmed-mean:x")]
    [InlineData("max")]
    public void Parse_rejects_unknown_names(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => AggregationRules.Parse(text));
        Assert.Equal("text", e.ParamName);
        Assert.Contains("mid-extremes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrimmedMean_rejects_a_negative_trim() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrimmedMean(-1));

    private static void AssertConvexWeights(double[][] xs, double[] output, double[] w)
    {
        Assert.All(w, x => Assert.True(x >= 0));
        Assert.Equal(1, w.Sum(), 12);
        Assert.True(Naive.MaxAbsDifference(Naive.WeightedSum(xs, w), output) < 1e-12, "output = Σ w x");
        Assert.True(Hull.Distance(xs, output) < 1e-9, "inside the hull (Wolfe's algorithm)");
    }

    private static void AssertInBox(double[][] xs, double[] output)
    {
        for (var c = 0; c < output.Length; c++)
        {
            var column = xs.Select(x => x[c]).ToArray();
            Assert.InRange(output[c], column.Min(), column.Max());
        }
    }
}
