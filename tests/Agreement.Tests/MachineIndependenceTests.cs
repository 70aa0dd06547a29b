namespace Decentral.Agreement.Tests;

/// <summary>
/// The reductions give the same double whatever the machine's SIMD width: the 256-bit and the 128-bit
/// implementations (whichever this machine accelerates, the other runs in software) agree bit for bit with
/// each other and with a scalar definition of the summation order (lanes of four, fixed lane order).
/// </summary>
public sealed class MachineIndependenceTests
{
    private static double[] Values(SeededRandom random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)))];

    /// <summary>Σ f(i) the way the kernels sum: 4 accumulators × 4 lanes over blocks of 16, then accumulator 0 over blocks of 4, accumulators (0+1)+(2+3) and lanes (0+1)+(2+3), then the tail one by one.</summary>
    private static double ReferenceSum(int n, Func<int, double, double> fma, Func<int, double, double>? tail = null)
    {
        var acc = new double[4, 4];
        var i = 0;
        for (; i <= n - 16; i += 16)
        {
            for (var a = 0; a < 4; a++)
            {
                for (var l = 0; l < 4; l++)
                {
                    acc[a, l] = fma(i + (4 * a) + l, acc[a, l]);
                }
            }
        }
        for (; i <= n - 4; i += 4)
        {
            for (var l = 0; l < 4; l++)
            {
                acc[0, l] = fma(i + l, acc[0, l]);
            }
        }
        var lanes = new double[4];
        for (var l = 0; l < 4; l++)
        {
            lanes[l] = (acc[0, l] + acc[1, l]) + (acc[2, l] + acc[3, l]);
        }
        var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        for (; i < n; i++)
        {
            sum = (tail ?? fma)(i, sum);
        }
        return sum;
    }

    [Fact]
    public void Dot_products_are_bit_identical_on_both_widths_and_follow_the_fixed_order()
    {
        var random = new SeededRandom(1UL);
        for (var n = 0; n <= 70; n++)
        {
            var x = Values(random, n);
            var y = Values(random, n);
            var wide = VectorMath.Dot<Quad256>(x, y);
            var narrow = VectorMath.Dot<Quad128>(x, y);
            var reference = ReferenceSum(n, (i, s) => Math.FusedMultiplyAdd(x[i], y[i], s));
            Assert.Equal(BitConverter.DoubleToInt64Bits(reference), BitConverter.DoubleToInt64Bits(wide));
            Assert.Equal(BitConverter.DoubleToInt64Bits(reference), BitConverter.DoubleToInt64Bits(narrow));
            Assert.Equal(wide, VectorMath.Dot(x, y));
        }
    }

    [Fact]
    public void Squared_distances_are_bit_identical_on_both_widths()
    {
        var random = new SeededRandom(2UL);
        for (var n = 0; n <= 70; n++)
        {
            var x = Values(random, n);
            var y = Values(random, n);
            var reference = ReferenceSum(n, (i, s) => Math.FusedMultiplyAdd(x[i] - y[i], x[i] - y[i], s), (i, s) => s + ((x[i] - y[i]) * (x[i] - y[i])));
            Assert.Equal(BitConverter.DoubleToInt64Bits(reference), BitConverter.DoubleToInt64Bits(Pairwise.SquaredDistance<Quad256>(x, y)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(reference), BitConverter.DoubleToInt64Bits(Pairwise.SquaredDistance<Quad128>(x, y)));
        }
    }

    [Fact]
    public void Pair_tables_and_coordinate_diameters_are_bit_identical_on_both_widths()
    {
        var random = new SeededRandom(3UL);
        foreach (var k in new[] { 2, 3, 5, 7, 9 })
        {
            foreach (var d in new[] { 1, 3, 4, 7, 8, 15, 16, 33, 300 })
            {
                var vectors = Enumerable.Range(0, k).Select(_ => (ReadOnlyMemory<double>)Values(random, d)).ToList();
                var wide = new double[Pairwise.PairCount(k)];
                var narrow = new double[Pairwise.PairCount(k)];
                Pairwise.SquaredDistances<Quad256>(vectors, wide);
                Pairwise.SquaredDistances<Quad128>(vectors, narrow);
                Assert.Equal(wide.Select(BitConverter.DoubleToInt64Bits), narrow.Select(BitConverter.DoubleToInt64Bits));
                var hi = Values(random, d);
                var lo = Values(random, d);
                Assert.Equal(
                    BitConverter.DoubleToInt64Bits(Extremes.SumOfDifferences<Quad256>(hi, lo)),
                    BitConverter.DoubleToInt64Bits(Extremes.SumOfDifferences<Quad128>(hi, lo)));
            }
        }
    }
}
