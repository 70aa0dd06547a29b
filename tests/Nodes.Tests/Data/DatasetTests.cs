using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class DatasetTests
{
    private static readonly double[][] Dense =
    [
        [1, 0, 2],
        [0, 0, 0],
        [-3, 4, 0],
        [0, 5, 6],
        [7, 0, -8],
    ];

    private static readonly double[] Labels = [1, -1, 1, 1, -1];

    private static Dataset Make() => Dataset.FromDense(Dense, Labels, "toy");

    [Fact]
    public void Dot_and_AddScaledRow_agree_with_dense_arithmetic()
    {
        var data = Make();
        double[] x = [0.5, -1.5, 2];
        for (var i = 0; i < Dense.Length; i++)
        {
            var expected = Dense[i][0] * x[0] + Dense[i][1] * x[1] + Dense[i][2] * x[2];
            Assert.Equal(expected, data.Dot(i, x), 12);
            var target = new double[] { 1, 1, 1 };
            data.AddScaledRow(i, 2, target);
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(1 + 2 * Dense[i][j], target[j], 12);
            }
            Assert.Equal(Dense[i].Sum(v => v * v), data.RowNormSquared(i), 12);
        }
        Assert.Equal(8, data.NonZeros);
    }

    [Fact]
    public void Slice_views_the_parent_rows_without_copying()
    {
        var data = Make();
        var slice = data.Slice(2, 2);

        Assert.Equal(2, slice.Rows);
        Assert.Equal(3, slice.Dimension);
        Assert.Equal(Labels[2..4], slice.Labels.ToArray());
        Assert.Equal(new[] { 1, 2 }, slice.Indices(1).ToArray());
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(slice.Values(0)),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data.Values(2))));
        Assert.Throws<ArgumentOutOfRangeException>(() => slice.Label(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(4, 2));
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    [InlineData(5, 3)]
    [InlineData(5, 5)]
    public void Shards_follow_the_integer_division_rule_and_cover_every_row_once(int rows, int shards)
    {
        var data = Make();
        Assert.Equal(rows, data.Rows);
        var next = 0;
        for (var s = 0; s < shards; s++)
        {
            var shard = data.Shard(s, shards);
            Assert.Equal((s + 1) * rows / shards - s * rows / shards, shard.Rows);
            for (var r = 0; r < shard.Rows; r++, next++)
            {
                Assert.Equal(data.Label(next), shard.Label(r));
                Assert.Equal(data.Indices(next).ToArray(), shard.Indices(r).ToArray());
            }
        }
        Assert.Equal(rows, next);
    }

    [Fact]
    public void Shard_of_a_shard_uses_global_offsets_correctly()
    {
        var data = Make();
        var outer = data.Shard(1, 2); // rows 2..4
        var inner = outer.Shard(1, 2); // of 3 rows: [1, 3) → parent rows 3, 4
        Assert.Equal(2, inner.Rows);
        Assert.Equal(data.Values(3).ToArray(), inner.Values(0).ToArray());
        Assert.Equal(data.Values(4).ToArray(), inner.Values(1).ToArray());
    }

    [Fact]
    public void More_shards_than_rows_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Make().Shard(0, 6));
        Assert.Equal("count", e.ParamName);
    }

    [Fact]
    public void Constructor_rejects_bad_csr()
    {
        Assert.Throws<ArgumentException>(() => new Dataset(3, [0, 1], [3], [1.0], [1.0]));          // column out of range
        Assert.Throws<ArgumentException>(() => new Dataset(3, [0, 2], [1, 1], [1.0, 2.0], [1.0]));  // not increasing
        Assert.Throws<ArgumentException>(() => new Dataset(3, [0, 1], [0], [double.NaN], [1.0]));   // NaN value
        Assert.Throws<ArgumentException>(() => new Dataset(3, [0, 1], [0], [1.0], [double.PositiveInfinity])); // Inf label
        Assert.Throws<ArgumentException>(() => new Dataset(3, [0], [], [], []));                    // empty
        Assert.Throws<ArgumentException>(() => new Dataset(3, [0, 2, 1], [0, 1], [1.0, 1.0], [1.0, 1.0])); // decreasing
    }

    [Fact]
    public void Partitioning_gives_whole_data_when_shared_and_the_shard_when_sharded()
    {
        var data = Make();
        Assert.Same(data, Partitioning.DataFor(data, PartitionMode.Shared, 1, 2));
        Assert.Equal(3, Partitioning.DataFor(data, PartitionMode.Sharded, 1, 2).Rows);
        Assert.Equal(PartitionMode.Sharded, Partitioning.Parse(" Sharded "));
        Assert.Throws<ArgumentException>(() => Partitioning.Parse("split"));
    }
}
