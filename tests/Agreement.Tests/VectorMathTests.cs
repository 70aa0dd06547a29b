using Decentral.Agreement.Tests.Support;

namespace Decentral.Agreement.Tests;

public sealed class VectorMathTests
{
    // Dimensions straddle the SIMD width and the chunk lengths (256 … 4096 doubles).
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 1 }, { 2, 3 }, { 3, 7 }, { 5, 255 }, { 9, 1_000 }, { 4, 4_097 }, { 33, 3_000 }, { 2, 10_001 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Mean_matches_plain_loop(int k, int d)
    {
        var xs = Vectors.Random(new Random(k * 1000 + d), k, d);
        var output = new double[d];
        VectorMath.Mean(Vectors.Memories(xs), output);
        Assert.True(Naive.MaxAbsDifference(Naive.Mean(xs), output) < 1e-14, "mean");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Diameters_match_plain_loops(int k, int d)
    {
        var xs = Vectors.Random(new Random(k * 7 + d), k, d, scale: 3);
        var cw = VectorMath.DiameterCw(Vectors.Memories(xs));
        var l2 = VectorMath.DiameterL2(Vectors.Memories(xs));
        Assert.Equal(Naive.DiameterCw(xs), cw, 1e-9 * (1 + cw));
        Assert.Equal(Naive.DiameterL2(xs), l2, 1e-12 * (1 + l2));
    }

    [Fact]
    public void Coordinate_wise_diameter_is_at_least_the_euclidean_one()
    {
        var rng = new Random(3);
        for (var t = 0; t < 200; t++)
        {
            var xs = Vectors.Memories(Vectors.Random(rng, 2 + rng.Next(10), 1 + rng.Next(50)));
            Assert.True(VectorMath.DiameterCw(xs) >= VectorMath.DiameterL2(xs) - 1e-12, $"trial {t}");
        }
    }

    [Fact]
    public void Known_diameters_of_the_unit_square()
    {
        double[][] square = [[0, 0], [1, 0], [0, 1], [1, 1]];
        Assert.Equal(2, VectorMath.DiameterCw(Vectors.Memories(square)), 15);
        Assert.Equal(Math.Sqrt(2), VectorMath.DiameterL2(Vectors.Memories(square)), 15);
        Assert.Equal(0, VectorMath.DiameterL2(Vectors.Memories([square[1]])));
        Assert.Equal(0, VectorMath.DiameterCw(Vectors.Memories([square[1]])));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(17)]
    [InlineData(5_000)]
    public void SquaredDistance_and_Axpy_match_plain_loops(int d)
    {
        var rng = new Random(d);
        var x = Vectors.Random(rng, 1, d)[0];
        var y = Vectors.Random(rng, 1, d)[0];
        Assert.Equal(Naive.SquaredDistance(x, y), VectorMath.SquaredDistance(x, y), 1e-12 * d);
        var expected = x.Zip(y, (a, b) => (2.5 * a) + b).ToArray();
        VectorMath.Axpy(2.5, x, y);
        Assert.True(Naive.MaxAbsDifference(expected, y) < 1e-14);
    }

    [Fact]
    public void WeightedSum_matches_plain_loop()
    {
        var xs = Vectors.Random(new Random(1), 4, 300);
        double[] w = [0.1, 0.2, 0.3, 0.4];
        var output = new double[300];
        VectorMath.WeightedSum(w, Vectors.Memories(xs), output);
        Assert.True(Naive.MaxAbsDifference(Naive.WeightedSum(xs, w), output) < 1e-14);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Reductions_reject_non_finite_values_naming_the_parameter(double bad)
    {
        var xs = Vectors.Random(new Random(2), 3, 600);
        xs[1][517] = bad;
        var m = Vectors.Memories(xs);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => VectorMath.Mean(m, new double[600])).ParamName);
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => VectorMath.DiameterCw(m)).ParamName);
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => VectorMath.DiameterL2(m)).ParamName);
        Assert.Throws<ArgumentException>(() => VectorMath.DiameterL2(Vectors.Memories([xs[1]])));
        Assert.Throws<ArgumentException>(() => VectorMath.DiameterCw(Vectors.Memories([xs[1]])));
        Assert.False(VectorMath.AllFinite(xs[1]));
        Assert.True(VectorMath.AllFinite(xs[0]));

        // In the scalar tail after the SIMD blocks, and in the last of an odd number of vectors.
        var tail = Vectors.Random(new Random(3), 5, 7);
        tail[4][6] = bad;
        Assert.Throws<ArgumentException>(() => VectorMath.DiameterCw(Vectors.Memories(tail)));
        Assert.Throws<ArgumentException>(() => VectorMath.DiameterL2(Vectors.Memories(tail)));
        Assert.Throws<ArgumentException>(() => VectorMath.Mean(Vectors.Memories(tail), new double[7]));
    }

    [Fact]
    public void Finite_values_that_overflow_are_reported_as_overflow()
    {
        double[][] xs = [[1e300], [-1e300]];
        var e = Assert.Throws<ArgumentException>(() => VectorMath.DiameterL2(Vectors.Memories(xs)));
        Assert.Contains("overflow", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_shapes_are_rejected_naming_the_parameter()
    {
        double[][] mixed = [[1, 2], [1, 2, 3]];
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => VectorMath.Mean(Vectors.Memories(mixed), new double[2])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => VectorMath.Mean([], new double[2])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => VectorMath.Mean(Vectors.Memories([[1.0, 2]]), new double[3])).ParamName);
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => VectorMath.DiameterCw([])).ParamName);
        Assert.Equal("vectors", Assert.Throws<ArgumentException>(() => VectorMath.DiameterL2(Vectors.Memories(mixed))).ParamName);
        Assert.Throws<ArgumentException>(() => VectorMath.SquaredDistance(new double[2], new double[3]));
        Assert.Throws<ArgumentException>(() => VectorMath.Axpy(1, new double[2], new double[3]));
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => VectorMath.WeightedSum([1.0], Vectors.Memories(mixed[..1].Concat(mixed[..1])), new double[2])).ParamName);
    }

    [Fact]
    public void Bound_matches_the_formula_for_small_cluster_counts()
    {
        // q = (2⌊m/2⌋+1)/(2⌊m/2⌋+2): m = 1 → 1/2; m = 2, 3 → 3/4; m = 4, 5 → 5/6; m = 9 → 9/10.
        Assert.Equal(0.5, ContractionBound.PerTwoRounds(1));
        Assert.Equal(0.75, ContractionBound.PerTwoRounds(2));
        Assert.Equal(0.75, ContractionBound.PerTwoRounds(3));
        Assert.Equal(5.0 / 6, ContractionBound.PerTwoRounds(4));
        Assert.Equal(5.0 / 6, ContractionBound.PerTwoRounds(5));
        Assert.Equal(0.9, ContractionBound.PerTwoRounds(9), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => ContractionBound.PerTwoRounds(0));
    }
}
