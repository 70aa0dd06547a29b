using Decentral.Agreement;
using Decentral.Nodes.Models.Kernels;

namespace Decentral.Nodes.Tests.Models;

public sealed class BlockedGemmTests
{
    private static double[] Random(SeededRandom random, int length, double scale = 1)
    {
        var values = new double[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = scale * ((2 * random.NextDouble()) - 1);
        }
        return values;
    }

    /// <summary>
    /// |c − reference| ≤ 1e-12 · Σ_p |a_ip·b_pj| for every entry: the two kernels sum the same products
    /// in different orders (and the blocked one fuses multiply and add), so they may differ by rounding,
    /// which is bounded relative to the sum of the magnitudes.
    /// </summary>
    private static void AssertClose(double[] a, bool ta, double[] b, bool tb, double[] actual, double[] expected, int m, int n, int k, double[]? before)
    {
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var magnitude = before is null ? 0.0 : Math.Abs(before[(i * n) + j]);
                for (var p = 0; p < k; p++)
                {
                    magnitude += Math.Abs(a[ta ? (p * m) + i : (i * k) + p] * b[tb ? (j * k) + p : (p * n) + j]);
                }
                var error = Math.Abs(actual[(i * n) + j] - expected[(i * n) + j]);
                Assert.True(error <= 1e-12 * magnitude,
                    $"C[{i},{j}] of {m}×{k}·{k}×{n} (tA={ta}, tB={tb}): {actual[(i * n) + j]} vs {expected[(i * n) + j]}, error {error:E2} > 1e-12·{magnitude:E2}");
            }
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(4, 8, 256)]        // exactly one micro-tile, one panel
    [InlineData(13, 17, 19)]
    [InlineData(64, 64, 64)]
    [InlineData(131, 9, 257)]      // MC + 3 rows, one column past a micro-tile, KC + 1 deep
    [InlineData(37, 2050, 5)]      // NC + 2 columns
    [InlineData(129, 263, 515)]    // nothing a multiple of any tile
    public void Blocked_product_equals_the_triple_loop_in_all_four_forms(int m, int n, int k)
    {
        var random = new SeededRandom((ulong)((m * 1_000_003) + (n * 1009) + k));
        var blocked = new BlockedGemm();
        var reference = new TripleLoopGemm();
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var a = Random(random, m * k);
            var b = Random(random, k * n, 3);
            var expected = new double[m * n];
            var actual = new double[m * n];
            reference.Multiply(a, ta, b, tb, expected, m, n, k, accumulate: false);
            actual.AsSpan().Fill(double.NaN); // overwrite must not read what was there
            blocked.Multiply(a, ta, b, tb, actual, m, n, k, accumulate: false);
            AssertClose(a, ta, b, tb, actual, expected, m, n, k, null);

            var start = Random(random, m * n);
            var sum = (double[])start.Clone();
            var sumReference = (double[])start.Clone();
            blocked.Multiply(a, ta, b, tb, sum, m, n, k, accumulate: true);
            reference.Multiply(a, ta, b, tb, sumReference, m, n, k, accumulate: true);
            AssertClose(a, ta, b, tb, sum, sumReference, m, n, k, start);
        }
    }

    [Fact]
    public void Triple_loop_computes_a_known_product()
    {
        double[] a = [1, 2, 3, 4, 5, 6];       // 2×3
        double[] b = [7, 8, 9, 10, 11, 12];    // 3×2
        var c = new double[4];
        new TripleLoopGemm().Multiply(a, false, b, false, c, 2, 2, 3, accumulate: false);
        Assert.Equal(new double[] { 58, 64, 139, 154 }, c);
        new BlockedGemm().Multiply(a, false, b, false, c, 2, 2, 3, accumulate: true);
        Assert.Equal(new double[] { 116, 128, 278, 308 }, c);
    }

    [Fact]
    public void Entries_past_the_product_are_left_alone()
    {
        var c = new double[3 * 3 + 5];
        c.AsSpan(9).Fill(42);
        new BlockedGemm().Multiply(new double[9], false, new double[9], false, c, 3, 3, 3, accumulate: false);
        Assert.All(c.AsSpan(9).ToArray(), v => Assert.Equal(42, v));
    }

    [Fact]
    public void Zero_depth_overwrites_with_zeros_or_leaves_c()
    {
        var c = new double[] { 1, 2, 3, 4 };
        new BlockedGemm().Multiply([], false, [], false, c, 2, 2, 0, accumulate: true);
        Assert.Equal(new double[] { 1, 2, 3, 4 }, c);
        new BlockedGemm().Multiply([], false, [], false, c, 2, 2, 0, accumulate: false);
        Assert.Equal(new double[4], c);
    }

    [Theory]
    [InlineData(5, 12, 4, "a")]
    [InlineData(6, 11, 4, "b")]
    [InlineData(6, 12, 3, "c")]
    public void Short_spans_are_argument_errors_naming_the_matrix(int aLength, int bLength, int cLength, string name)
    {
        foreach (IMatrixMultiply kernel in new IMatrixMultiply[] { new BlockedGemm(), new TripleLoopGemm() })
        {
            // m = 2, k = 3, n = 4 would need a 6, b 12, c 8; c is given 4 + 4 unless named.
            var c = new double[name == "c" ? cLength : 8];
            var e = Assert.Throws<ArgumentException>(() => kernel.Multiply(new double[aLength], false, new double[bLength], false, c, 2, 4, 3, false));
            Assert.Equal(name, e.ParamName);
        }
    }
}
