namespace Decentral.Agreement;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the same seed gives the same numbers on every .NET version
/// and machine (System.Random promises neither). Not thread-safe; callers that share one lock it.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SeededRandom(long seed)
    {
        Seed = seed;
        var x = (ulong)seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public long Seed { get; }

    /// <summary>An independent generator for one purpose ("network", "faults", node 3): same seed and tag, same stream.</summary>
    public SeededRandom Fork(string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        return new SeededRandom(DeriveSeed(Seed, purpose));
    }

    public static long DeriveSeed(long seed, string purpose) => (long)Fnv.Add(Fnv.Add(Fnv.Offset, (ulong)seed), purpose);

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, maxExclusive).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxExclusive, 0);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p > 0 && (p >= 1 || NextDouble() < p);

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
