using System.Globalization;
using System.Text;
using Decentral.Agreement;
using Decentral.Configuration;
using Decentral.Hocon;

namespace Decentral.Host.Tests.Fuzzing;

/// <summary>
/// Grammar-aware HOCON for the configuration reader's fuzz run: documents built from the statements a
/// configuration has — the keys of reference.conf with right, wrong and boundary values, nested
/// sections, fault schedules, remote endpoints, includes (allowed, refused, not HOCON), substitutions,
/// self-references, cycles, value concatenations, doubling chains that must hit the
/// <see cref="HoconLimits"/>, long keys and deep nesting. Everything comes from the
/// <see cref="SeededRandom"/> given.
/// </summary>
internal sealed class HoconGenerator(IReadOnlyList<string> includeStatements)
{
    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "2", "3", "7", "10", "100", "300", "4096", "4097", "65535", "65536", "2147483647", "2147483648", "-2147483648",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616", "1e308", "1e999", "-1e999",
        "0.5", "-0.0", "1.5e-300", "1e-400", "0.1", "4", "256", "1000000", "10000000", "10000001", "3.14159", "1E3", "007",
    ];

    private static readonly string[] Durations =
    [
        "10ms", "0s", "-5s", "1.5 s", "250 millis", "9e14ms", "1e300 d", "1 fortnight", "10 MS", "5 minutes", "1h", "49.8d", "1ns", "3 us",
        "\"2 seconds\"", "0.0001 ms", "1e-9 s",
    ];

    private static readonly string[] Words =
    [
        "processes", "clusters", "any:3", "any:0", "any:-1", "any:99999999999", "mid-extremes", "mean", "median", "trimmed-mean:0.3",
        "trimmed-mean:7", "logistic-l2", "logistic-nonconvex", "least-squares", "logistc-l2", "shared", "sharded", "zeros", "ones",
        "constant", "inverse-sqrt", "inverse-time", "paper-bound", "memory", "sqlite", "none", "fixed", "poisson", "normal", "uniform",
        "linear", "heavy-tailed", "float64", "float32", "crash", "restart", "partition", "heal", "delay", "drop", "c1", "c2", "c3",
        "c1/n1", "c2/n2", "c9/n9", "localhost", "127.0.0.1", "::1", "0.0.0.0", "example.invalid", "yes", "no", "on", "off", "true", "false",
    ];

    private static readonly string[] Strings =
    [
        "\"\"", "\" \"", "\"data/breast_cancer_scale.libsvm\"", "\"../../../../etc/passwd\"", "\"/dev/null\"", "\"/\"", "\"state\"",
        "\"data\\u0000.txt\"", "\"c\\u0001\"", "\"tab\\there\"", "\"\\ud800\"", "\"é中\"", "\"a.b\"", "\"${not-a-sub}\"", "\"\\\\\\\\server\\\\share\"",
        "\"C:\\\\x\"", "\"dev.pfx\"", "\"DECENTRAL_TLS_PASSWORD\"", "\"A=B\"", "\"0123456789abcdef0123456789abcdef01234567\"", "\"\"\"triple\n\"quoted\"\"\"\"",
    ];

    private static readonly string[] Actions = ["crash", "restart", "partition", "heal", "delay", "drop", "crahs", "\"\"", "5"];

    private static readonly string[] FaultFields = ["at", "at-iteration", "action", "target", "from", "to", "groups", "delay", "probability", "tagret"];

    private static readonly IReadOnlyList<KeyValuePair<string, HoconValue>> Known = [.. ConfigurationLoader.Reference.Entries()];

    private static readonly string[] Sections = [.. Known.Select(k => k.Key[..k.Key.LastIndexOf('.')]).Distinct()];

    public string Document(SeededRandom random)
    {
        var text = new StringBuilder();
        var statements = random.Next(1, 24);
        // One document in four keeps to reference.conf's own values, so that the settings reader's
        // later checks (and acceptance) are reached too.
        var plain = random.Chance(0.25);
        for (var i = 0; i < statements; i++)
        {
            if (plain)
            {
                var (key, value) = Known[random.Next(Known.Count)];
                text.Append(key).Append(" = ").Append(random.Chance(0.9) ? Render(value) : ValueLike(value, random));
            }
            else
            {
                Statement(text, random);
            }

            text.Append(random.Chance(0.1) ? ", " : "\n");
        }

        return text.ToString();
    }

    /// <summary>A resolved value as HOCON text (reference.conf's values: scalars, lists, empty objects).</summary>
    private static string Render(HoconValue value) => value switch
    {
        HoconScalar { Type: HoconValueType.String } s => "\"" + s.Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        HoconScalar s => s.Text,
        HoconList list => "[" + string.Join(", ", list.Select(Render)) + "]",
        HoconObject obj => "{ " + string.Join(", ", obj.Select(f => $"\"{f.Key}\" = {Render(f.Value)}")) + " }",
        _ => "null",
    };

    /// <summary>One statement, also used by the mutator to splice grammar into a shipped file.</summary>
    public void Statement(StringBuilder text, SeededRandom random)
    {
        switch (random.Next(100))
        {
            case < 40:
                var (key, value) = Known[random.Next(Known.Count)];
                text.Append(key).Append(random.Chance(0.1) ? " : " : " = ").Append(ValueLike(value, random));
                break;
            case < 50:
                Section(text, random);
                break;
            case < 58:
                Faults(text, random);
                break;
            case < 63:
                text.Append(includeStatements[random.Next(includeStatements.Count)]);
                break;
            case < 71:
                text.Append(Key(random)).Append(" = ").Append(Substitution(random)).Append(random.Chance(0.3) ? " " + Scalar(random) : "");
                break;
            case < 72:
                Doubling(text, random);
                break;
            case < 79:
                text.Append(Key(random)).Append(" = ").Append(Value(random, 2));
                break;
            case < 83:
                text.Append(random.Chance(0.5) ? "# " : "// ").Append(Words[random.Next(Words.Length)]).Append('\n');
                break;
            case < 88:
                Remote(text, random);
                break;
            case < 93:
                SelfReference(text, random);
                break;
            case < 96:
                text.Append("decentral.experiment { ").Append(Key(random)).Append(" = ").Append(Value(random, 2)).Append(" }");
                break;
            case < 97:
                Deep(text, random);
                break;
            default:
                text.Append("decentral.").Append(LongKey(random)).Append(" = 1");
                break;
        }
    }

    /// <summary>A value for a key whose reference value is <paramref name="reference"/>: often the same type, sometimes a boundary or another type.</summary>
    private string ValueLike(HoconValue reference, SeededRandom random)
    {
        if (random.Chance(0.35))
        {
            return Value(random, 2);
        }

        return reference switch
        {
            HoconList => List(random, 2),
            HoconScalar { Type: HoconValueType.Number } => random.Chance(0.3) ? Durations[random.Next(Durations.Length)] : Numbers[random.Next(Numbers.Length)],
            HoconScalar { Type: HoconValueType.String } s when s.Text.Length > 0 && char.IsAsciiDigit(s.Text[0]) => Durations[random.Next(Durations.Length)],
            _ => random.Chance(0.5) ? Words[random.Next(Words.Length)] : Strings[random.Next(Strings.Length)],
        };
    }

    private string Value(SeededRandom random, int depth) => random.Next(depth <= 0 ? 6 : 10) switch
    {
        < 5 => Scalar(random),
        5 => Substitution(random),
        6 or 7 => List(random, depth - 1),
        8 => ObjectValue(random, depth - 1),
        _ => $"{Scalar(random)} {Substitution(random)} {Scalar(random)}",
    };

    private static string Scalar(SeededRandom random) => random.Next(5) switch
    {
        0 => Numbers[random.Next(Numbers.Length)],
        1 => Durations[random.Next(Durations.Length)],
        2 => Strings[random.Next(Strings.Length)],
        3 => random.Chance(0.5) ? "null" : random.Chance(0.5) ? "true" : "false",
        _ => Words[random.Next(Words.Length)],
    };

    private string List(SeededRandom random, int depth)
    {
        var count = random.Chance(0.1) ? 0 : random.Next(1, 6);
        return "[" + string.Join(random.Chance(0.8) ? ", " : "\n", Enumerable.Range(0, count).Select(_ => Value(random, depth))) + "]";
    }

    private string ObjectValue(SeededRandom random, int depth)
    {
        var count = random.Next(0, 4);
        return "{ " + string.Join(", ", Enumerable.Range(0, count).Select(_ => $"{Key(random)} = {Value(random, depth)}")) + " }";
    }

    private static string Substitution(SeededRandom random)
    {
        var optional = random.Chance(0.4) ? "?" : "";
        var path = random.Next(5) switch
        {
            0 => "HOME",
            1 => "decentral.sgd",
            2 => "missing.key",
            3 => "x" + random.Next(4).ToString(CultureInfo.InvariantCulture),
            _ => Known[random.Next(Known.Count)].Key,
        };
        return $"${{{optional}{path}}}";
    }

    /// <summary>A key: known, unknown, quoted, dotted, unicode, or a short scratch name that substitutions refer to.</summary>
    private static string Key(SeededRandom random) => random.Next(8) switch
    {
        0 => Known[random.Next(Known.Count)].Key,
        1 => "\"a.b\"",
        2 => "\"\"",
        3 => "décentral.ключ",
        4 => "decentral." + Words[random.Next(Words.Length)].Replace(':', '-').Replace('/', '-').Replace('.', '-'),
        5 => "\"include\"",
        _ => "x" + random.Next(4).ToString(CultureInfo.InvariantCulture),
    };

    private void Section(StringBuilder text, SeededRandom random)
    {
        var section = Sections[random.Next(Sections.Length)];
        text.Append(section).Append(" {\n");
        foreach (var (key, value) in Known.Where(k => k.Key.StartsWith(section + ".", StringComparison.Ordinal)).Where(_ => random.Chance(0.4)))
        {
            text.Append("  ").Append(key[(section.Length + 1)..]).Append(" = ").Append(ValueLike(value, random)).Append('\n');
        }

        text.Append('}');
    }

    private void Faults(StringBuilder text, SeededRandom random)
    {
        var append = random.Chance(0.2);
        var faults = Enumerable.Range(0, append ? 1 : random.Next(1, 5)).Select(_ => Fault(random)).ToList();
        text.Append("decentral.faults ").Append(append ? "+= " + faults[0] : "= [" + string.Join(random.Chance(0.5) ? ", " : "\n", faults) + "]");
    }

    private string Fault(SeededRandom random)
    {
        var fields = FaultFields.Where(_ => random.Chance(0.35)).ToList();
        return "{ " + string.Join(", ", fields.Select(field => field + " = " + field switch
        {
            "action" => Actions[random.Next(Actions.Length)],
            "at" or "delay" => Durations[random.Next(Durations.Length)],
            "groups" => random.Chance(0.7) ? "[[c1], [c2, c3]]" : List(random, 2),
            "at-iteration" or "probability" => Numbers[random.Next(Numbers.Length)],
            _ => Words[random.Next(Words.Length)],
        })) + " }";
    }

    private static void Remote(StringBuilder text, SeededRandom random)
    {
        text.Append("decentral.remote {\n  clusters { ").Append(Words[random.Next(Words.Length)].Replace('/', '-').Replace(':', '-'))
            .Append(" { host = ").Append(Words[random.Next(Words.Length)]).Append(", port = ").Append(Numbers[random.Next(Numbers.Length)]).Append(" } }\n")
            .Append("  admin-ports = [").Append(Numbers[random.Next(Numbers.Length)]).Append(", 1]\n")
            .Append("  tls.certificate = ").Append(Strings[random.Next(Strings.Length)]).Append('\n')
            .Append("  tls.trusted-thumbprints = [").Append(Strings[random.Next(Strings.Length)]).Append("]\n")
            .Append("  state-dir = ").Append(Strings[random.Next(Strings.Length)]).Append("\n}");
    }

    private static void SelfReference(StringBuilder text, SeededRandom random)
    {
        var key = Known[random.Next(Known.Count)].Key;
        _ = random.Next(4) switch
        {
            0 => text.Append(key).Append(" = ${").Append(key).Append("}"),
            1 => text.Append(key).Append(" += ").Append(Scalar(random)),
            2 => text.Append("x1 = ${x2}\nx2 = ${x1}"),
            _ => text.Append("x1 = ${?x1} [1]\nx1 = ${x1} [2]\n").Append(key).Append(" = ${x1}"),
        };
    }

    /// <summary>A chain of keys each doubling the one before (string, list or shared list): long ones must stop at a limit.</summary>
    private static void Doubling(StringBuilder text, SeededRandom random)
    {
        var (first, step) = random.Next(3) switch
        {
            0 => ("\"0123456789\"", "${{d{0}}}${{d{0}}}"),
            1 => ("[1, 2]", "${{d{0}}} ${{d{0}}}"),
            _ => ("{ x = \"\\u0001\\u0001\" }", "[${{d{0}}}, ${{d{0}}}]"),
        };
        text.Append("d0 = ").Append(first).Append('\n');
        var levels = random.Next(1, 32);
        for (var i = 1; i <= levels; i++)
        {
            text.Append('d').Append(i).Append(" = ").Append(string.Format(CultureInfo.InvariantCulture, step, i - 1)).Append('\n');
        }
    }

    private static void Deep(StringBuilder text, SeededRandom random)
    {
        var levels = random.Next(100, 700);
        var open = random.Chance(0.5) ? "[" : "{a:";
        text.Append("deep = ").Append(string.Concat(Enumerable.Repeat(open, levels))).Append('1').Append(string.Concat(Enumerable.Repeat(open == "[" ? "]" : "}", levels)));
    }

    private static string LongKey(SeededRandom random) => new('k', random.Chance(0.1) ? 1_000_000 : random.Next(200, 20_000));
}
