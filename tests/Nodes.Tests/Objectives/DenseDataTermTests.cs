using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.Tests.Objectives;

/// <summary>
/// The dense data term (four rows at a time) gives bit for bit what the row-by-row sparse code gives:
/// the same data stored with one extra, never-stored column is not dense, so it takes the sparse path,
/// and with that column's coordinate 0 every dot product, loss and gradient coordinate must be equal.
/// </summary>
public sealed class DenseDataTermTests
{
    private const int Dimension = 37;

    [Theory]
    [InlineData("least-squares")]
    [InlineData("logistic-l2")]
    [InlineData("logistic-nonconvex")]
    public void Dense_rows_give_the_sparse_paths_results_bit_for_bit(string objective)
    {
        // 301 rows: more than one 256-row chunk of the full pass, and not a multiple of four.
        var (dense, sparse) = SameDataTwice(rows: 301, seed: 7);
        Assert.True(dense.IsDense);
        Assert.False(sparse.IsDense);
        var f = Make(objective, dense);
        var g = Make(objective, sparse);
        var random = new SeededRandom(11);
        var x = Enumerable.Range(0, Dimension).Select(_ => random.NextDouble() - 0.5).ToArray();
        var xWide = x.Append(0.0).ToArray();

        Assert.Equal(Bits(g.Value(xWide)), Bits(f.Value(x)));
        var gradient = new double[Dimension];
        var wide = new double[Dimension + 1];
        Assert.Equal(Bits(g.Gradient(xWide, wide)), Bits(f.Gradient(x, gradient)));
        Assert.Equal(wide[..Dimension].Select(Bits), gradient.Select(Bits));

        foreach (var batch in new[] { 1, 3, 4, 23, 64 })
        {
            var rows = Enumerable.Range(0, batch).Select(_ => random.Next(301)).ToArray();
            Assert.Equal(Bits(g.MiniBatchValue(xWide, rows)), Bits(f.MiniBatchValue(x, rows)));
            Assert.Equal(Bits(g.MiniBatchGradient(xWide, rows, wide)), Bits(f.MiniBatchGradient(x, rows, gradient)));
            Assert.Equal(wide[..Dimension].Select(Bits), gradient.Select(Bits));
        }
    }

    [Fact]
    public void A_window_of_dense_rows_is_dense_and_a_row_with_a_zero_left_out_is_not()
    {
        var (dense, _) = SameDataTwice(rows: 12, seed: 3);
        Assert.True(dense.Slice(4, 5).IsDense);
        var rows = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 3).Select(j => i == 2 && j == 1 ? 0.0 : 1.0 + i + j).ToArray()).ToList();
        Assert.False(Dataset.FromDense(rows, [1.0, -1.0, 1.0, -1.0]).IsDense);
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

    private static IObjective Make(string objective, Dataset data) => objective switch
    {
        "least-squares" => Glms.LeastSquares(data),
        "logistic-l2" => Glms.LogisticL2(data, 0.01),
        _ => Glms.LogisticNonConvex(data, 0.01),
    };

    /// <summary>The same rows as a dense data set of <see cref="Dimension"/> columns and as a sparse one with one more column.</summary>
    private static (Dataset Dense, Dataset Sparse) SameDataTwice(int rows, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new double[rows * Dimension];
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = random.NextDouble() * 2 - 1 + (random.NextDouble() < 0.5 ? 3 : -3);
        }

        var labels = Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? 1.0 : -1.0).ToArray();
        var pointers = Enumerable.Range(0, rows + 1).Select(i => i * Dimension).ToArray();
        var columns = Enumerable.Range(0, rows * Dimension).Select(k => k % Dimension).ToArray();
        return (
            new Dataset(Dimension, pointers, columns, values, labels),
            new Dataset(Dimension + 1, (int[])pointers.Clone(), (int[])columns.Clone(), (double[])values.Clone(), (double[])labels.Clone()));
    }
}
