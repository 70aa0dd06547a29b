using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Decentral.Hocon.Tests;

/// <summary>
/// Issue 15: whatever the text, <see cref="HoconParser.Parse"/> returns a config or throws a
/// <see cref="HoconException"/> that says file:line:column; never another exception, a hang or a stack
/// overflow. Inputs are seeded mutations of <see cref="FuzzCorpus"/> and random fragment soups; case n
/// always gets the same input, so a failure names the case that reproduces it. Every config that
/// parses must also render, flatten and parse back from its HOCON rendering to the same JSON.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int MutatedCases = 8_000;
    private const int RandomCases = 2_000;
    private const int ShownFailures = 5;

    private sealed class Outcome
    {
        public int Parsed { get; set; }

        public int Errors { get; set; }

        public int TooDeep { get; set; }

        public TimeSpan Slowest { get; set; }

        public List<string> Failures { get; } = [];
    }

    [Fact]
    public void Any_text_gives_a_config_or_a_positioned_HoconException()
    {
        var seeds = FuzzCorpus.Seeds;
        Assert.True(seeds.Count > FuzzCorpus.Snippets.Count, "the repository's hocon/*.conf files are embedded as seeds");

        var clock = Stopwatch.StartNew();
        var outcome = StackThread.Run(() => Run(seeds), timeoutSeconds: 120);
        output.WriteLine(
            $"{MutatedCases + RandomCases} inputs from {seeds.Count} seeds in {clock.Elapsed.TotalSeconds:F1} s: {outcome.Parsed} parsed, "
            + $"{outcome.Errors} HoconExceptions ({outcome.TooDeep} for nesting), slowest input {outcome.Slowest.TotalMilliseconds:F0} ms");

        Assert.True(outcome.Failures.Count == 0, string.Join("\n\n", outcome.Failures.Take(ShownFailures)));
        Assert.True(outcome.Slowest < TimeSpan.FromSeconds(5), $"slowest input took {outcome.Slowest}");

        // The inputs must reach both outcomes and the limit, or the test would prove little.
        Assert.InRange(outcome.Parsed, 500, int.MaxValue);
        Assert.InRange(outcome.Errors, 2_000, int.MaxValue);
        Assert.InRange(outcome.TooDeep, 150, int.MaxValue);
    }

    private static Outcome Run(IReadOnlyList<string> seeds)
    {
        var options = new HoconParseOptions
        {
            Environment = name => name == "HOME" ? "/home/fuzz" : null,
            IncludeResolver = new MemoryIncludes(FuzzCorpus.Includes),
        };
        var outcome = new Outcome();
        for (var n = 0; n < MutatedCases + RandomCases; n++)
        {
            var random = new Random(n);
            var text = n < MutatedCases ? Mutator.Mutate(seeds[random.Next(seeds.Count)], seeds, random) : Mutator.Random(random);
            var clock = Stopwatch.StartNew();
            var problem = Check(text, options, outcome);
            if (clock.Elapsed > outcome.Slowest)
            {
                outcome.Slowest = clock.Elapsed;
            }

            if (problem is not null)
            {
                outcome.Failures.Add($"case {n}: {problem}\ninput: {Show(text)}");
            }
        }

        return outcome;
    }

    /// <summary>Parses one input; returns what is wrong with the outcome, or null.</summary>
    private static string? Check(string text, HoconParseOptions options, Outcome outcome)
    {
        Config config;
        try
        {
            config = HoconParser.Parse(text, "fuzz.conf", options: options);
        }
        catch (HoconException e)
        {
            outcome.Errors++;
            if (e.Reason.Contains("nesting deeper than", StringComparison.Ordinal))
            {
                outcome.TooDeep++;
            }

            return e.Origin is { Line: > 0, Column: > 0 } && e.Message.StartsWith($"{e.Origin}: ", StringComparison.Ordinal)
                ? null
                : $"{e.GetType().Name} without a position: {e.Message}";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name} escaped the parser: {e}";
        }

        outcome.Parsed++;
        try
        {
            if (config.Root.Depth > HoconParser.MaxNestingDepth)
            {
                return $"resolved tree is {config.Root.Depth} levels deep";
            }

            var json = config.ToJson();
            _ = HoconConfigurationProvider.Flatten(config.Root);
            _ = config.Entries().Count();
            _ = config.ToHocon(withOrigins: true);
            var again = HoconParser.Parse(config.ToHocon(), "rendered.conf", options: options).ToJson();
            return again == json ? null : $"the HOCON rendering parses back differently:\n{json}\n{again}";
        }
        catch (Exception e)
        {
            return $"a parsed config failed to render or flatten: {e}";
        }
    }

    /// <summary>The input as a C# string literal body, shortened around long runs.</summary>
    private static string Show(string text)
    {
        var shown = text.Length <= 600 ? text : string.Concat(text.AsSpan(0, 300), " ... ", text.AsSpan(text.Length - 300));
        var sb = new StringBuilder();
        foreach (var c in shown)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
