using System.Text;
using Decentral.Agreement;
using Decentral.Configuration;
using Decentral.Hocon;
using Decentral.Host.Tests.Configuration;

namespace Decentral.Host.Tests.Fuzzing;

/// <summary>One input of the configuration reader: a file's text and the <c>--set</c> overrides given with it.</summary>
internal sealed record HoconCase(string Text, IReadOnlyList<string> Overrides);

/// <summary>
/// The configuration reader as a command meets it: the input is the text of a file beside the include
/// targets and goes through <see cref="ConfigurationLoader.Load"/>'s steps (<see cref="ConfigurationLoader.LoadText"/>:
/// parse, includes, overrides, reference.conf, resolution), JSON
/// rendering (`config print --json`) and <see cref="SettingsReader.Read"/>. Allowed outcomes: accepted,
/// or a <see cref="ConfigurationException"/> (HOCON errors arrive converted) or a
/// <see cref="HoconException"/> from rendering. Also checked: a load error says where it happened, and
/// nothing from the files beside the configuration that it may not read (or that are not HOCON) ever
/// appears in a message or in the JSON.
/// </summary>
internal sealed class ConfigurationReaderTarget : IDisposable
{
    /// <summary>Text of the files an input must never show: a non-HOCON file beside it and a file outside its directory.</summary>
    private const string Secret = "secret-token-";

    private readonly string _root = Directory.CreateTempSubdirectory("decentral-fuzz-").FullName;
    private readonly string _file;
    private readonly ConfigurationLoadOptions _options;
    private readonly HoconGenerator _grammar;
    private readonly IReadOnlyList<string> _seeds;

    public ConfigurationReaderTarget()
    {
        var conf = Path.Combine(_root, "conf");
        var outside = Write("outside/secret.conf", $"{Secret}outside = 1\n");
        Write("conf/base.conf", "decentral.sgd.iterations = 7\ndecentral { agreement.rounds = 2 }\n");
        Write("conf/sub/ok.conf", "decentral.model.lambda = 0.5\n");
        Write("conf/sub/up.conf", "include \"../base.conf\"\n");
        Write("conf/notes.txt", $"{Secret}7Q: do not print\n{{{{ broken\n");
        Write("conf/cycle.conf", "include \"cycle.conf\"\n");
        Write("conf/list.conf", "[1, 2]\n");
        Write("conf/props.properties", "decentral.sgd.batch-size=3\np..q=1\n");
        // reference.conf's data file, so that a configuration keeping it gets through (the reader only locates it).
        Write("conf/data/breast_cancer_scale.libsvm", "1 1:0.5\n");
        File.CreateSymbolicLink(Path.Combine(conf, "link.conf"), outside);
        _file = Path.Combine(conf, "fuzz.conf");
        _options = new ConfigurationLoadOptions
        {
            WorkingDirectory = conf,
            Environment = name => name == "HOME" ? "/home/fuzz" : null,
        };
        _grammar = new HoconGenerator(
        [
            "include \"base.conf\"", "include \"sub/ok.conf\"", "include required(\"sub/up.conf\")", "include \"notes.txt\"", "include \"cycle.conf\"",
            "include \"list.conf\"", "include \"props\"", "include \"link.conf\"", "include \"../outside/secret.conf\"", $"include file(\"{outside}\")",
            "include \"sub/../../outside/secret.conf\"", "include file(\"/etc/hostname\")", "include \"file:///etc/passwd\"", "include url(\"http://x\")",
            "include classpath(\"a.conf\")", "include \"nul\\u0000.conf\"", "include required(\"missing\")", "decentral { include \"base.conf\" }",
        ]);
        _seeds = [.. Directory.GetFiles(ConfigFiles.HoconDirectory, "*.conf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText)];
    }

    public static ulong Purpose { get; } = SeedPurpose.Of("fuzz-configuration-reader");

    public int SeedCount => _seeds.Count;

    /// <summary>Input <paramref name="n"/>: half grammar-generated documents, half mutated shipped files; one in ten with overrides.</summary>
    public HoconCase Make(ulong seed, int n)
    {
        var random = SeededRandom.For(seed, Purpose, n, 0);
        var text = random.Chance(0.5)
            ? _grammar.Document(random)
            : HoconMutator.Mutate(_seeds[random.Next(_seeds.Count)], _seeds, _grammar, random);
        var overrides = new List<string>();
        if (random.Chance(0.1))
        {
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                var statement = new StringBuilder();
                _grammar.Statement(statement, random);
                overrides.Add(random.Chance(0.1) ? "=5" : statement.ToString());
            }
        }

        return new HoconCase(text, overrides);
    }

    public FuzzOutcome Check(HoconCase input)
    {
        LoadedConfiguration loaded;
        try
        {
            // Load without writing the file each time (most of the time of an input otherwise).
            loaded = ConfigurationLoader.LoadText(input.Text, _file, input.Overrides, _options);
        }
        catch (ConfigurationException e)
        {
            return Rejected("load", e, positioned: true);
        }

        try
        {
            if (loaded.Config.ToJson().Contains(Secret, StringComparison.Ordinal))
            {
                return FuzzOutcome.Fail("the JSON shows a file the configuration may not include");
            }
        }
        catch (HoconLimitException e)
        {
            return e.Origin is { Line: > 0 } ? new("render: HoconLimitException") : FuzzOutcome.Fail($"rendering error without a position: {e.Message}");
        }

        try
        {
            _ = SettingsReader.Read(loaded);
            return new("accepted");
        }
        catch (ConfigurationException e)
        {
            return Rejected("settings", e, positioned: false);
        }
    }

    public static string Show(HoconCase input) =>
        input.Overrides.Count == 0 ? input.Text : $"{input.Text}\n--set {string.Join(" --set ", input.Overrides)}";

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A documented rejection, labelled by stage and (roughly, from the message) by kind.</summary>
    private static FuzzOutcome Rejected(string stage, ConfigurationException e, bool positioned)
    {
        if (e.Message.Contains(Secret, StringComparison.Ordinal))
        {
            return FuzzOutcome.Fail($"the message quotes a file it must not: {e.Message}");
        }

        if (e.Errors.FirstOrDefault(error => positioned ? error.Origin is not { Line: > 0 } : error.Origin is null && error.Key.Length == 0) is { } vague)
        {
            return FuzzOutcome.Fail($"{stage} error that names neither where nor which key: {vague}");
        }

        var problem = e.Errors[0].Problem;
        var kind = problem switch
        {
            _ when problem.Contains(nameof(HoconLimits), StringComparison.Ordinal) => "limit",
            _ when problem.Contains("include", StringComparison.Ordinal) => "include",
            _ when problem.Contains("substitution", StringComparison.Ordinal) || problem.Contains("cycle", StringComparison.Ordinal) => "substitution",
            _ when stage == "settings" && problem.Contains("unknown key", StringComparison.Ordinal) => "unknown key",
            _ => stage == "load" ? "syntax" : "value",
        };
        return new($"{stage}: {kind}");
    }

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
