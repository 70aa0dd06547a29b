using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class MiniBatchSamplerTests
{
    private const ulong Seed = 424242;

    [Fact]
    public void Batch_is_a_pure_function_of_seed_node_and_iteration()
    {
        var a = new MiniBatchSampler(1000, 32, Seed, node: 3);
        var b = new MiniBatchSampler(1000, 32, Seed, node: 3);
        // b draws in another order: no hidden generator state may leak between iterations.
        var fromB = Enumerable.Range(0, 50).Reverse().ToDictionary(t => (long)t, t => b.Sample(t));
        for (long t = 0; t < 50; t++)
        {
            Assert.Equal(fromB[t], a.Sample(t));
        }
        Assert.NotEqual(a.Sample(1), a.Sample(2));
        Assert.NotEqual(a.Sample(1), new MiniBatchSampler(1000, 32, Seed, node: 4).Sample(1));
        Assert.NotEqual(a.Sample(1), new MiniBatchSampler(1000, 32, Seed + 1, node: 3).Sample(1));
    }

    [Theory]
    [InlineData(10, 9)]
    [InlineData(100, 1)]
    [InlineData(50_000, 256)]
    public void Batch_rows_are_distinct_sorted_and_in_range(int rows, int batch)
    {
        var sampler = new MiniBatchSampler(rows, batch, Seed, node: 0);
        for (long t = 0; t < 200; t++)
        {
            var sample = sampler.Sample(t);
            Assert.Equal(batch, sample.Length);
            for (var k = 0; k < sample.Length; k++)
            {
                Assert.InRange(sample[k], 0, rows - 1);
                Assert.True(k == 0 || sample[k] > sample[k - 1], $"seed {Seed}, t {t}: not strictly increasing at {k}");
            }
        }
    }

    [Fact]
    public void Batch_at_least_as_large_as_the_data_is_the_full_batch()
    {
        var sampler = new MiniBatchSampler(7, 100, Seed, node: 1);
        Assert.True(sampler.IsFullBatch);
        Assert.Equal(Enumerable.Range(0, 7), sampler.Sample(5));
    }

    [Fact]
    public void Every_row_is_drawn_equally_often()
    {
        // Inclusion probability of each row is B/N; over T draws the count is Binomial(T, B/N).
        const int rows = 40, batch = 10, draws = 8000;
        var sampler = new MiniBatchSampler(rows, batch, Seed, node: 2);
        var counts = new int[rows];
        Span<int> buffer = stackalloc int[batch];
        for (long t = 0; t < draws; t++)
        {
            sampler.Sample(t, buffer);
            foreach (var r in buffer)
            {
                counts[r]++;
            }
        }
        var p = (double)batch / rows;
        var mean = draws * p;
        var sd = Math.Sqrt(draws * p * (1 - p));
        foreach (var c in counts)
        {
            Assert.True(Math.Abs(c - mean) < 5 * sd, $"seed {Seed}: count {c}, expected {mean} ± {sd}");
        }
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatchSampler(0, 1, Seed, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatchSampler(10, 0, Seed, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatchSampler(10, 1, Seed, -1));
        var sampler = new MiniBatchSampler(10, 4, Seed, 0);
        Assert.Throws<ArgumentException>(() => sampler.Sample(0, new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample(-1));
    }
}
