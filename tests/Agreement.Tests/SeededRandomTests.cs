namespace Decentral.Agreement.Tests;

/// <summary>The project's one generator: its core against published vectors, its seeds, streams and distributions.</summary>
public sealed class SeededRandomTests
{
    [Fact]
    public void The_core_is_xoshiro256_starstar_and_the_seeding_splitmix64()
    {
        // Reference outputs of xoshiro256** from the state (1, 2, 3, 4), and SplitMix64's first output from 0.
        var core = SeededRandom.FromState(1, 2, 3, 4);
        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], [core.NextUInt64(), core.NextUInt64(), core.NextUInt64(), core.NextUInt64()]);
        Assert.Equal(0xE220A8397B1DCDAFUL, SeededRandom.Mix(0));
    }

    [Fact]
    public void Same_seed_same_numbers_pinned_across_machines_and_versions()
    {
        // Pinned: a change here changes every simulated run, DST scenario and training figure.
        var zero = new SeededRandom(0UL);
        Assert.Equal([0x65094A0AB526FA3AUL, 0x14790C77058B9213UL, 0x545E14C068D2CDFCUL], [zero.NextUInt64(), zero.NextUInt64(), zero.NextUInt64()]);
        var answer = new SeededRandom(42UL);
        Assert.Equal([0x4F4ABCAE868D76E2UL, 0x2543FEDA05BF5F38UL, 0x3B8B416B32AFE767UL], [answer.NextUInt64(), answer.NextUInt64(), answer.NextUInt64()]);
        Assert.Equal(0xCB9830EB89D191CAUL, SeededRandom.Derive(1, SeedPurpose.Sampling, 2, 3));
        Assert.Equal(0x221F16DD931065A3UL, SeedPurpose.Of("network"));
    }

    [Fact]
    public void All_64_bits_of_a_seed_matter()
    {
        // Seeds that differ only in the top bit (which `& long.MaxValue` used to erase) give different streams.
        const ulong low = 12345;
        const ulong high = low | (1UL << 63);
        Assert.NotEqual(new SeededRandom(low).NextUInt64(), new SeededRandom(high).NextUInt64());
        Assert.NotEqual(SeededRandom.Derive(low, SeedPurpose.Sampling, 0, 0), SeededRandom.Derive(high, SeedPurpose.Sampling, 0, 0));
        Assert.Equal(new SeededRandom(-1L).NextUInt64(), new SeededRandom(ulong.MaxValue).NextUInt64());
        Assert.Equal(high, new SeededRandom(high).Seed);
    }

    [Fact]
    public void Streams_are_separated_by_purpose_and_coordinates()
    {
        var seeds = new HashSet<ulong>
        {
            SeededRandom.Derive(1, SeedPurpose.Sampling, 0, 0),
            SeededRandom.Derive(1, SeedPurpose.Sampling, 0, 1),
            SeededRandom.Derive(1, SeedPurpose.Sampling, 1, 0),
            SeededRandom.Derive(1, SeedPurpose.ComputeTime, 0, 0),
            SeededRandom.Derive(1, SeedPurpose.Network, 0, 0),
            SeededRandom.Derive(1, SeedPurpose.Mdaa, 0, 0),
            SeededRandom.Derive(2, SeedPurpose.Sampling, 0, 0),
            SeededRandom.Derive(1, "network/c1->c2"),
            SeededRandom.Derive(1, "network/c2->c1"),
        };
        Assert.Equal(9, seeds.Count);
        var root = new SeededRandom(7UL);
        Assert.Equal(root.Fork("faults").NextUInt64(), new SeededRandom(7UL).Fork("faults").NextUInt64());
        Assert.NotEqual(root.Fork("faults").NextUInt64(), root.Fork("network").NextUInt64());
        Assert.Equal(SeededRandom.For(3, SeedPurpose.Sampling, 4, 5).NextUInt64(), new SeededRandom(SeededRandom.Derive(3, SeedPurpose.Sampling, 4, 5)).NextUInt64());
    }

    [Fact]
    public void Bounded_draws_are_in_range_and_unbiased()
    {
        var random = new SeededRandom(123UL);
        const int n = 120_000;
        var counts = new int[7];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            counts[random.Next(7)]++;
            Assert.InRange(random.Next(-3, 3), -3, 2);
            Assert.InRange(random.NextInt64(10), 0, 9);
            var u = random.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
            sum += u;
        }
        // Each bucket holds n/7 ± 5 standard deviations; the mean of U(0,1) is ½ ± 5·√(1/12n).
        var sd = Math.Sqrt(n * (1.0 / 7) * (6.0 / 7));
        Assert.All(counts, c => Assert.InRange(c, (n / 7.0) - (5 * sd), (n / 7.0) + (5 * sd)));
        Assert.True(Math.Abs((sum / n) - 0.5) < 5 * Math.Sqrt(1.0 / 12 / n), $"mean {sum / n}");
        Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(0));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(7)]
    [InlineData(29.5)]
    [InlineData(30)]
    [InlineData(250)]
    public void Poisson_draws_have_the_mean_and_variance_of_the_law(double mean)
    {
        var random = new SeededRandom(9UL);
        const int n = 40_000;
        double sum = 0, squares = 0;
        for (var i = 0; i < n; i++)
        {
            var k = random.NextPoisson(mean);
            Assert.True(k >= 0);
            sum += k;
            squares += (double)k * k;
        }
        var m = sum / n;
        var variance = (squares / n) - (m * m);
        Assert.True(Math.Abs(m - mean) < 5 * Math.Sqrt(mean / n), $"mean {m} for λ = {mean}");
        Assert.True(Math.Abs(variance - mean) < 0.05 * mean + 0.02, $"variance {variance} for λ = {mean}");
    }

    [Fact]
    public void Gaussian_draws_have_mean_zero_and_unit_variance()
    {
        var random = new SeededRandom(11UL);
        const int n = 100_000;
        double sum = 0, squares = 0, beyondTwo = 0;
        for (var i = 0; i < n; i++)
        {
            var z = random.NextGaussian();
            sum += z;
            squares += z * z;
            beyondTwo += Math.Abs(z) > 2 ? 1 : 0;
        }
        Assert.True(Math.Abs(sum / n) < 5 / Math.Sqrt(n));
        Assert.True(Math.Abs((squares / n) - 1) < 0.02);
        Assert.InRange(beyondTwo / n, 0.0455 - 0.004, 0.0455 + 0.004); // P(|Z| > 2) = 4.55 %
    }

    [Fact]
    public void Shuffle_is_a_permutation_and_reproducible()
    {
        int[] a = [.. Enumerable.Range(0, 50)];
        int[] b = [.. Enumerable.Range(0, 50)];
        new SeededRandom(5UL).Shuffle<int>(a);
        new SeededRandom(5UL).Shuffle<int>(b);
        Assert.Equal(a, b);
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), a);
    }
}
