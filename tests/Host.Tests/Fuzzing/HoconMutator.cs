using System.Globalization;
using System.Text;
using Decentral.Agreement;

namespace Decentral.Host.Tests.Fuzzing;

/// <summary>
/// Byte-level mutations of the shipped configurations (hocon/**/*.conf): bit flips, bytes set to
/// characters that change how HOCON reads, inserted syntax and grammar statements, deletions,
/// duplications, truncation, splices of two files and numbers replaced by boundary values. The bytes
/// are decoded as UTF-8 again, so invalid sequences become U+FFFD as when reading a damaged file.
/// </summary>
internal static class HoconMutator
{
    private static readonly byte[] Interesting = Encoding.UTF8.GetBytes("{}[]\"$:=+,.#/\\?!@*&^`() \t\n\r0-eE");

    private static readonly string[] Fragments =
    [
        "${", "${?", "}", "\"", "\"\"\"", "+=", "\n", ",", "=", ":", "[", "]", "{", "//", "#", "\\u0000", "${decentral.sgd.iterations}",
        " ${decentral.sgd.iterations}", "include ", "required(", "file(", "null", "1e999", "-1", "9223372036854775808", "\u0000", "\u2028", "\ufeff",
    ];

    private static readonly string[] Boundaries = ["0", "-1", "2147483648", "9223372036854775808", "1e999", "1e-400", "-0", "4097", "65536"];

    public static string Mutate(string seed, IReadOnlyList<string> seeds, HoconGenerator grammar, SeededRandom random)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(seed));
        var count = random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            Apply(bytes, seeds, grammar, random);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static void Apply(List<byte> bytes, IReadOnlyList<string> seeds, HoconGenerator grammar, SeededRandom random)
    {
        var at = random.Next(bytes.Count + 1);
        switch (random.Next(10))
        {
            case 0 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] = Interesting[random.Next(Interesting.Length)];
                break;
            case 2:
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                break;
            case 3:
                var statement = new StringBuilder("\n");
                grammar.Statement(statement, random);
                bytes.InsertRange(LineStart(bytes, at), Encoding.UTF8.GetBytes(statement.Append('\n').ToString()));
                break;
            case 4:
                bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                break;
            case 5 when bytes.Count > 0:
                var start = random.Next(bytes.Count);
                var piece = bytes.GetRange(start, Math.Min(random.Next(1, 200), bytes.Count - start));
                bytes.InsertRange(random.Next(bytes.Count + 1), piece);
                break;
            case 6:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 7:
                var other = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Count)]);
                var from = random.Next(other.Length + 1);
                bytes.RemoveRange(at, bytes.Count - at);
                bytes.AddRange(other.AsSpan(from).ToArray());
                break;
            case 8:
                ReplaceNumber(bytes, at, random);
                break;
            default:
                var noise = new byte[random.Next(1, 8)];
                random.NextBytes(noise);
                bytes.InsertRange(at, noise);
                break;
        }
    }

    /// <summary>The first run of digits at or after <paramref name="at"/> becomes a boundary value.</summary>
    private static void ReplaceNumber(List<byte> bytes, int at, SeededRandom random)
    {
        var start = bytes.FindIndex(Math.Min(at, bytes.Count), b => b is >= (byte)'0' and <= (byte)'9');
        if (start < 0)
        {
            return;
        }

        var end = start;
        while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9' or (byte)'.')
        {
            end++;
        }

        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Encoding.UTF8.GetBytes(Boundaries[random.Next(Boundaries.Length)].ToString(CultureInfo.InvariantCulture)));
    }

    private static int LineStart(List<byte> bytes, int at)
    {
        var i = Math.Min(at, bytes.Count);
        while (i > 0 && bytes[i - 1] != (byte)'\n')
        {
            i--;
        }

        return i;
    }
}
