using System.Text;

namespace Decentral.Hocon.Tests;

/// <summary>
/// Seeded mutations of HOCON text for <see cref="FuzzTests"/>: character and byte flips, truncation,
/// runs of brackets (sometimes past <see cref="HoconParser.MaxNestingDepth"/>), inserted syntax
/// (quotes, <c>${</c>, <c>+=</c>, includes), deletions, duplications and splices of two seeds.
/// Everything depends only on the <see cref="Random"/> given, so a case number reproduces its input.
/// </summary>
internal static class Mutator
{
    /// <summary>Characters that change how the lexer and parser see the text.</summary>
    private const string Interesting = "{}[]\"$:=+,.#/\\?!@*&^`() \t\n\r\u00a0\u2028\ufeffab01-eE";

    private static readonly string[] Fragments =
    [
        "\"", "\"\"\"", "${", "${?", "}", "${a}", "${a.b}", "${?x}", "${self}", "+=", " += 1", "\n", ",", ":", "=", ".",
        "#", "//", "\\", "\\u12", "{", "[", "]", "null", "true", " ", "\t", "\r\n", "-", "1e999", "0.5", "\"a.b\"",
        "x.y.z = ", "$", "+", "?", "required(", "file(", ")", "include ", "include \"base.conf\"\n",
        "include required(\"missing.conf\")\n", "include \"cycle.conf\"\n", "include \"sub\"\n", "include \"deep.conf\"\n",
        "include file(\"bad.conf\")\n", "include url(\"http://x\")\n", "a = ${a}\n", "b = ${?b} [1]\n", "\"\\ud800\"",
    ];

    private static readonly string[] Runs = ["{", "[", "a{", "a=[", "{a:", "[{a:", "}", "]", "a.", "${", "\"", "[1,", "a += "];

    /// <summary>Runs that nest when repeated, for inputs deeper than the limit.</summary>
    private static readonly string[] Openers = ["{", "[", "a{", "a {\n", "a=[", "{a:", "[{a:", "a.", "[\n"];

    public static string Mutate(string text, IReadOnlyList<string> seeds, Random random)
    {
        var sb = new StringBuilder(text);
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            Apply(sb, seeds, random);
        }

        return sb.ToString();
    }

    /// <summary>A text made of fragments, brackets and words in random order (no seed).</summary>
    public static string Random(Random random)
    {
        var sb = new StringBuilder();
        var count = random.Next(1, 60);
        for (var i = 0; i < count; i++)
        {
            sb.Append(random.Next(40) switch
            {
                0 => LongRun(random),
                < 8 => Runs[random.Next(Runs.Length)],
                < 16 => "k" + random.Next(4) + (random.Next(2) == 0 ? " = " : "."),
                < 24 => Interesting[random.Next(Interesting.Length)].ToString(),
                _ => Fragments[random.Next(Fragments.Length)],
            });
        }

        return sb.ToString();
    }

    /// <summary>Around <see cref="HoconParser.MaxNestingDepth"/> levels of one opener: just within or past it.</summary>
    private static string LongRun(Random random) =>
        string.Concat(Enumerable.Repeat(Openers[random.Next(Openers.Length)], random.Next(400, 1_500)));

    private static void Apply(StringBuilder sb, IReadOnlyList<string> seeds, Random random)
    {
        var at = random.Next(sb.Length + 1);
        switch (random.Next(8))
        {
            case 0 when sb.Length > 0: // character flip
                sb[Math.Min(at, sb.Length - 1)] = random.Next(4) == 0 ? (char)random.Next(char.MaxValue + 1) : Interesting[random.Next(Interesting.Length)];
                break;
            case 1: // truncation
                sb.Length = at;
                break;
            case 2: // a run of brackets, sometimes deeper than the limit
                sb.Insert(at, random.Next(2) == 0 ? LongRun(random) : string.Concat(Enumerable.Repeat(Runs[random.Next(Runs.Length)], random.Next(1, 9))));
                break;
            case 3: // inserted syntax
                sb.Insert(at, Fragments[random.Next(Fragments.Length)]);
                break;
            case 4: // deletion
                sb.Remove(at, Math.Min(random.Next(1, 24), sb.Length - at));
                break;
            case 5 when sb.Length > 0: // duplication of a piece elsewhere
                var start = random.Next(sb.Length);
                var piece = sb.ToString(start, Math.Min(random.Next(1, 64), sb.Length - start));
                sb.Insert(random.Next(sb.Length + 1), piece);
                break;
            case 6: // splice: this text up to here, another seed from somewhere on
                var other = seeds[random.Next(seeds.Count)];
                var from = random.Next(other.Length + 1);
                sb.Length = at;
                sb.Append(other, from, other.Length - from);
                break;
            default: // bit flip in the UTF-8 bytes (invalid sequences decode to U+FFFD)
                var bytes = Encoding.UTF8.GetBytes(sb.ToString());
                if (bytes.Length > 0)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    sb.Clear().Append(Encoding.UTF8.GetString(bytes));
                }

                break;
        }
    }
}
