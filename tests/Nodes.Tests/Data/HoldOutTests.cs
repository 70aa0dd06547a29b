using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class HoldOutTests
{
    // Row i has the single feature i + 1 (so a row is recognisable after the split) and class i mod 3.
    private static Dataset Numbered(int rows) =>
        Dataset.FromDense(
            Enumerable.Range(0, rows).Select(i => new[] { i + 1.0 }).ToList(),
            Enumerable.Range(0, rows).Select(i => (double)(i % 3)).ToList(),
            "numbered",
            new ClassMap([0, 1, 2]));

    private static int[] Ids(Dataset data) => Enumerable.Range(0, data.Rows).Select(r => (int)data.Values(r)[0] - 1).ToArray();

    [Fact]
    public void Split_partitions_the_rows_by_the_fraction_keeping_file_order()
    {
        var data = Numbered(100);

        var split = HoldOut.Split(data, 0.2, seed: 7);

        Assert.Equal(80, split.Train.Rows);
        Assert.Equal(20, split.Test.Rows);
        var train = Ids(split.Train);
        var test = Ids(split.Test);
        Assert.Equal(Enumerable.Range(0, 100), train.Concat(test).Order());
        Assert.Equal(train.Order(), train);
        Assert.Equal(test.Order(), test);
        Assert.All(train, i => Assert.Equal(i % 3, split.Train.Label(Array.IndexOf(train, i))));
        Assert.Same(data.Classes, split.Test.Classes);
        Assert.Equal("numbered[test]", split.Test.Name);
    }

    [Fact]
    public void Split_is_a_function_of_the_seed()
    {
        var data = Numbered(200);

        var a = Ids(HoldOut.Split(data, 0.25, seed: 11).Test);
        var b = Ids(HoldOut.Split(Numbered(200), 0.25, seed: 11).Test);
        var c = Ids(HoldOut.Split(data, 0.25, seed: 12).Test);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Split_of_a_sparse_window_copies_its_rows_with_their_entries()
    {
        var data = new Dataset(4, [0, 2, 2, 3, 5], [0, 3, 1, 0, 2], [1, 2, 3, 4, 5], [1, -1, 1, -1]).Slice(1, 3);

        var split = HoldOut.Split(data, 0.34, seed: 3);

        Assert.Equal(1, split.Test.Rows);
        var all = new[] { split.Train, split.Test }.SelectMany(d => Enumerable.Range(0, d.Rows).Select(r => (d.Indices(r).ToArray(), d.Values(r).ToArray(), d.Label(r))));
        Assert.Equal(3, all.Count());
        Assert.Contains(all, row => row.Item1.Length == 0 && row.Item3 == -1);
        Assert.Contains(all, row => row.Item1.SequenceEqual([1]) && row.Item2.SequenceEqual([3.0]) && row.Item3 == 1);
        Assert.Contains(all, row => row.Item1.SequenceEqual([0, 2]) && row.Item2.SequenceEqual([4.0, 5.0]) && row.Item3 == -1);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(0.001)] // rounds to no test row of 100
    [InlineData(0.999)] // rounds to no training row
    public void A_fraction_leaving_a_side_empty_is_rejected(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HoldOut.Split(Numbered(100), fraction, seed: 1));
        Assert.Equal("testFraction", e.ParamName);
    }

    [Fact]
    public void Select_rejects_a_row_outside_the_data_set()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(5).Select([0, 5], "x"));
        Assert.Contains("rows[1] = 5 is outside [0, 5)", e.Message, StringComparison.Ordinal);
    }
}
