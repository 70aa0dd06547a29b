using Decentral.Nodes.Randomness;

namespace Decentral.Nodes.Tests;

public sealed class RandomnessTests
{
    [Fact]
    public void Same_seed_gives_the_same_sequence_and_different_seeds_differ()
    {
        var a = new DeterministicRandom(5);
        var b = new DeterministicRandom(5);
        var c = new DeterministicRandom(6);
        var same = 0;
        for (var i = 0; i < 100; i++)
        {
            var x = a.NextUInt64();
            Assert.Equal(x, b.NextUInt64());
            same += x == c.NextUInt64() ? 1 : 0;
        }
        Assert.Equal(0, same);
    }

    [Fact]
    public void Bounded_draws_stay_in_range_and_doubles_are_uniform()
    {
        var random = new DeterministicRandom(123);
        var sum = 0.0;
        const int n = 100_000;
        for (var i = 0; i < n; i++)
        {
            Assert.InRange(random.Next(7), 0, 6);
            Assert.InRange(random.Next(-3, 3), -3, 2);
            Assert.InRange(random.NextInt64(10, 11), 10, 10);
            var u = random.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
            sum += u;
        }
        // Mean of U(0,1): ½ with standard error √(1/12n).
        Assert.True(Math.Abs(sum / n - 0.5) < 5 * Math.Sqrt(1.0 / 12 / n), $"seed 123: mean {sum / n}");
    }

    [Fact]
    public void Derived_seeds_separate_purposes_and_coordinates()
    {
        var seeds = new HashSet<ulong>
        {
            Seeds.Derive(1, Seeds.Sampling, 0, 0),
            Seeds.Derive(1, Seeds.Sampling, 0, 1),
            Seeds.Derive(1, Seeds.Sampling, 1, 0),
            Seeds.Derive(1, Seeds.ComputeTime, 0, 0),
            Seeds.Derive(2, Seeds.Sampling, 0, 0),
        };
        Assert.Equal(5, seeds.Count);
    }
}
