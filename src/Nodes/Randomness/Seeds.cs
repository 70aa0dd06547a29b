namespace Decentral.Nodes.Randomness;

/// <summary>
/// Derives independent 64-bit seeds from a run seed and a few tags (purpose, node, iteration…), so
/// every random choice is a pure function of its coordinates and no generator state has to be
/// carried across a crash or a checkpoint.
/// </summary>
public static class Seeds
{
    /// <summary>Purpose tags: distinct streams for distinct uses of the same run seed.</summary>
    public const ulong Sampling = 0x53414D504C45UL;      // "SAMPLE"
    public const ulong ComputeTime = 0x434F4D50555445UL; // "COMPUTE"
    public const ulong Synthetic = 0x53594E5448UL;       // "SYNTH"

    /// <summary>One SplitMix64 finalisation step: a bijective avalanche of all 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ulong Derive(ulong seed, ulong purpose) => Mix(Mix(seed) ^ purpose);

    public static ulong Derive(ulong seed, ulong purpose, long a) => Mix(Derive(seed, purpose) ^ (ulong)a);

    public static ulong Derive(ulong seed, ulong purpose, long a, long b) => Mix(Derive(seed, purpose, a) ^ (ulong)b);

    /// <summary>A generator for the stream identified by the given coordinates.</summary>
    public static DeterministicRandom Generator(ulong seed, ulong purpose, long a, long b) =>
        new(Derive(seed, purpose, a, b));
}
