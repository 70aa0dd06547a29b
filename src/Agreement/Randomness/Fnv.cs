namespace Decentral.Agreement;

/// <summary>FNV-1a, 64 bit: stable across processes and runs, for traces and derived seeds.</summary>
public static class Fnv
{
    public const ulong Offset = 14695981039346656037UL;
    public const ulong Prime = 1099511628211UL;

    public static ulong Hash(string text) => Add(Offset, text);

    public static ulong Add(ulong hash, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    public static ulong Add(ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (value & 0xFF)) * Prime;
            value >>= 8;
        }

        return hash;
    }
}
