namespace Decentral.Agreement;

/// <summary>
/// The project's one pseudo-random generator: xoshiro256** on a full 64-bit seed, its state expanded with
/// SplitMix64. Every random choice of the system — mini-batches, compute times, synthetic data, job
/// assignment, network faults, the simulator's scheduling picks, DST scenarios, the MDAA simulation — draws
/// from an instance of this class, each stream seeded by <see cref="Derive(ulong, ulong)"/> from the run seed,
/// a purpose (<see cref="SeedPurpose"/>) and coordinates such as the node and the iteration, so every choice
/// is a pure function of those coordinates. The same seed gives the same numbers on every .NET version,
/// operating system and CPU (integer arithmetic, and IEEE double operations whose rounding is fixed;
/// <c>Math.Log</c>/<c>Math.Sqrt</c>/<c>Math.Exp</c> in the distributions come from the platform's C
/// runtime, see the README on cross-machine reproducibility). The framework's Random class promises neither and takes
/// 32-bit seeds.
/// Not thread-safe; give each thread its own stream (<see cref="Fork"/>).
/// </summary>
public sealed class SeededRandom
{
    private ulong s0;
    private ulong s1;
    private ulong s2;
    private ulong s3;

    /// <summary>A generator for <paramref name="seed"/>; all 2⁶⁴ seeds give distinct streams.</summary>
    public SeededRandom(ulong seed)
    {
        Seed = seed;
        // Four distinct inputs of a bijection: at most one word is zero, never the forbidden all-zero state.
        s0 = Mix(seed);
        s1 = Mix(seed + 1);
        s2 = Mix(seed + 2);
        s3 = Mix(seed + 3);
    }

    private SeededRandom(ulong s0, ulong s1, ulong s2, ulong s3, ulong seed)
    {
        Seed = seed;
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /// <summary>The same stream as <c>new SeededRandom((ulong)seed)</c> (two's complement, nothing masked).</summary>
    public SeededRandom(long seed)
        : this(unchecked((ulong)seed))
    {
    }

    public ulong Seed { get; }

    /// <summary>A generator in a given xoshiro256** state (known-answer tests of the core).</summary>
    internal static SeededRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3) => new(s0, s1, s2, s3, 0);

    /// <summary>An independent generator for one purpose ("network", "faults", …): same seed and purpose, same stream.</summary>
    public SeededRandom Fork(string purpose) => new(Derive(Seed, SeedPurpose.Of(purpose)));

    /// <summary>The generator of the stream (seed, purpose, a, b), e.g. (run seed, sampling, node, iteration).</summary>
    public static SeededRandom For(ulong seed, ulong purpose, long a, long b) => new(Derive(seed, purpose, a, b));

    /// <summary>One SplitMix64 finalisation step: a bijective avalanche of all 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The seed of the stream for <paramref name="purpose"/> under <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, ulong purpose) => Mix(Mix(seed) ^ purpose);

    /// <summary>The seed of the stream for (<paramref name="purpose"/>, <paramref name="a"/>), e.g. a node.</summary>
    public static ulong Derive(ulong seed, ulong purpose, long a) => Mix(Derive(seed, purpose) ^ unchecked((ulong)a));

    /// <summary>The seed of the stream for (<paramref name="purpose"/>, <paramref name="a"/>, <paramref name="b"/>), e.g. a node and an iteration.</summary>
    public static ulong Derive(ulong seed, ulong purpose, long a, long b) => Mix(Derive(seed, purpose, a) ^ unchecked((ulong)b));

    /// <summary><see cref="Derive(ulong, ulong)"/> with a named purpose (<see cref="SeedPurpose.Of"/>).</summary>
    public static ulong Derive(ulong seed, string purpose) => Derive(seed, SeedPurpose.Of(purpose));

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxExclusive, 0);
        return (int)NextBounded((ulong)maxExclusive);
    }

    /// <summary>Uniform in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int minInclusive, int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(minInclusive, maxExclusive);
        return (int)(minInclusive + (long)NextBounded((ulong)((long)maxExclusive - minInclusive)));
    }

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public long NextInt64(long maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxExclusive, 0);
        return (long)NextBounded((ulong)maxExclusive);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p > 0 && (p >= 1 || NextDouble() < p);

    /// <summary>Fisher–Yates shuffle in place (the last position first).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(NextUInt64() >> 56);
        }
    }

    /// <summary>
    /// A standard normal N(0, 1) by Marsaglia's polar method: a pair (u, v) uniform in the unit disc gives
    /// u·√(−2 ln s / s). The pair's second normal is not kept: a call depends only on the stream's position,
    /// never on a spare left by an earlier call.
    /// </summary>
    public double NextGaussian()
    {
        while (true)
        {
            var u = (2.0 * NextDouble()) - 1.0;
            var v = (2.0 * NextDouble()) - 1.0;
            var s = (u * u) + (v * v);
            if (s < 1.0 && s != 0.0)
            {
                return u * Math.Sqrt(-2.0 * Math.Log(s) / s);
            }
        }
    }

    /// <summary>N(<paramref name="mean"/>, <paramref name="deviation"/>²).</summary>
    public double NextGaussian(double mean, double deviation) => mean + (deviation * NextGaussian());

    /// <summary>Exponential with the given mean (inversion; 1 − U avoids log 0).</summary>
    public double NextExponential(double mean) => -mean * Math.Log(1 - NextDouble());

    /// <summary>
    /// Poisson(<paramref name="mean"/>): Knuth's product of uniforms below 30 (O(mean) draws), and above it
    /// Hörmann's transformed rejection with squeeze (PTRS, 1993), O(1) draws per sample.
    /// </summary>
    public int NextPoisson(double mean)
    {
        if (!(mean >= 0 && double.IsFinite(mean)))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The Poisson mean must be finite and non-negative.");
        }

        if (mean == 0)
        {
            return 0;
        }

        if (mean < 30)
        {
            var limit = Math.Exp(-mean);
            var count = 0;
            for (var product = NextDouble(); product >= limit; product *= NextDouble())
            {
                count++;
            }

            return count;
        }

        var logMean = Math.Log(mean);
        var b = 0.931 + (2.53 * Math.Sqrt(mean));
        var a = -0.059 + (0.02483 * b);
        var inverseAlpha = 1.1239 + (1.1328 / (b - 3.4));
        var vr = 0.9277 - (3.6224 / (b - 2));
        while (true)
        {
            var u = NextDouble() - 0.5;
            var v = NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((((2 * a) / us) + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return (int)k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            if (Math.Log(v * inverseAlpha / ((a / (us * us)) + b)) <= -mean + (k * logMean) - LogFactorial(k))
            {
                return (int)k;
            }
        }
    }

    /// <summary>ln k! (exact sum below 16, Stirling's series with three correction terms above).</summary>
    private static double LogFactorial(double k)
    {
        if (k < 16)
        {
            var sum = 0.0;
            for (var i = 2; i <= k; i++)
            {
                sum += Math.Log(i);
            }

            return sum;
        }

        var inverse = 1 / k;
        var inverse2 = inverse * inverse;
        return ((k + 0.5) * Math.Log(k)) - k + (0.5 * Math.Log(2 * Math.PI))
            + (inverse * ((1.0 / 12) - (inverse2 * ((1.0 / 360) - (inverse2 / 1260)))));
    }

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
    private ulong NextBounded(ulong bound)
    {
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var high = Math.BigMul(NextUInt64(), bound, out var low);
            if (low >= threshold)
            {
                return high;
            }
        }
    }
}

/// <summary>
/// The purposes random streams are derived for (<see cref="SeededRandom.Derive(ulong, ulong)"/>): distinct
/// streams for distinct uses of one run seed. Named purposes hash their name with 64-bit FNV-1a.
/// </summary>
public static class SeedPurpose
{
    /// <summary>Mini-batches: stream (seed, Sampling, node, iteration).</summary>
    public const ulong Sampling = 0x53414D504C45UL; // "SAMPLE"

    /// <summary>Compute times: stream (seed, ComputeTime, worker, job); job −1 draws the worker's speed.</summary>
    public const ulong ComputeTime = 0x434F4D50555445UL; // "COMPUTE"

    /// <summary>Synthetic data sets: stream (seed, Synthetic, kind).</summary>
    public const ulong Synthetic = 0x53594E5448UL; // "SYNTH"

    /// <summary>Asynchronous SGD job assignment: stream (seed, Assignment, rule).</summary>
    public const ulong Assignment = 0x41535349474EUL; // "ASSIGN"

    /// <summary>Network faults: stream (network seed, Network, from, to) per directed link.</summary>
    public const ulong Network = 0x4E4554574F524BUL; // "NETWORK"

    /// <summary>The MDAA simulation: stream (seed, Mdaa, 0, 0) for the schedule and (seed, Mdaa, 1, 0) for the inputs.</summary>
    public const ulong Mdaa = 0x4D444141UL; // "MDAA"

    /// <summary>64-bit FNV-1a of the UTF-16 code units of <paramref name="name"/>.</summary>
    public static ulong Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in name)
        {
            hash = (hash ^ (byte)c) * 0x100000001B3UL;
            hash = (hash ^ (byte)(c >> 8)) * 0x100000001B3UL;
        }

        return hash;
    }
}
