using System.CommandLine;
using System.Globalization;
using Decentral.Hocon;
using Decentral.Simulation.Dst;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral dst --seeds A-B [--config FILE] [--mutant NAME] [--json] [--jobs N] [--fail-fast]` runs a
/// deterministic-simulation-testing campaign; `decentral dst --seed N [--trace] [--mutant NAME]` replays one
/// seed. Exit codes: 0 = no violation (with --mutant: the mutant was caught), 1 = violations (with
/// --mutant: none found), 2 = bad input.
/// </summary>
internal static class DstCommand
{
    public static Command Create()
    {
        var mutantNames = string.Join(", ", DstMutant.All.Select(m => m.Name));
        var seeds = new Option<string?>("--seeds") { Description = "Seed range A-B (inclusive) for a campaign, e.g. 1-500" };
        var seed = new Option<long?>("--seed") { Description = "Run (replay) one seed" };
        var config = new Option<string?>("--config") { Description = "HOCON file whose dst { … } block changes the scenario distributions" };
        var mutant = new Option<string?>("--mutant") { Description = $"Plant a known bug: {mutantNames}" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: seeds, passed, failed, violations [{seed, invariant, replay}], mutant" };
        var trace = new Option<bool>("--trace") { Description = "With --seed: print the whole event trace (byte-identical for the same seed)" };
        var jobs = new Option<int>("--jobs") { Description = "Seeds run in parallel", DefaultValueFactory = _ => Environment.ProcessorCount };
        var failFast = new Option<bool>("--fail-fast") { Description = "Stop the campaign at the first violation" };
        var verbose = new Option<bool>("--verbose") { Description = "Print a line for every seed, not only for failing ones" };
        var command = new Command("dst", DescribeCommand())
        {
            seeds, seed, config, mutant, json, trace, jobs, failFast, verbose,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var settings = parse.GetValue(config) is { } file ? LoadSettings(file) : DstSettings.Default;
                var planted = parse.GetValue(mutant) is { } name ? UsageException.Wrap("--mutant", () => DstMutant.Parse(name)) : null;
                var one = parse.GetValue(seed);
                var range = parse.GetValue(seeds);
                if ((one is null) == (range is null))
                {
                    throw new UsageException("give either --seeds A-B or --seed N.");
                }
                if (parse.GetValue(trace) && one is null)
                {
                    throw new UsageException("--trace replays one seed: use it with --seed N.");
                }
                var workers = parse.GetValue(jobs);
                if (workers < 1)
                {
                    throw new UsageException($"--jobs must be at least 1 (got {workers}).");
                }
                if (one is { } n)
                {
                    return RunOne(n, planted, settings, parse.GetValue(trace), parse.GetValue(json), stdout);
                }
                var (first, last) = ParseRange(range!);
                return RunCampaign(first, last, planted, settings, workers, parse.GetValue(failFast), parse.GetValue(json), parse.GetValue(verbose), stdout);
            }
            catch (UsageException e)
            {
                stderr.WriteLine($"decentral dst: {e.Message}");
                return Cli.BadInput;
            }
        });
        return command;
    }

    internal static (long First, long Last) ParseRange(string text)
    {
        var dash = text.IndexOf('-', 1);
        if (dash > 0
            && long.TryParse(text.AsSpan(0, dash), NumberStyles.Integer, CultureInfo.InvariantCulture, out var first)
            && long.TryParse(text.AsSpan(dash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var last))
        {
            if (first > last)
            {
                throw new UsageException($"--seeds {text}: the first seed is larger than the last.");
            }
            return (first, last);
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var single))
        {
            return (single, single);
        }
        throw new UsageException($"--seeds '{text}' is not a range A-B, e.g. 1-500.");
    }

    private static string DescribeCommand()
    {
        var lines = new List<string>
        {
            "Deterministic simulation testing: per seed draw a layout, workload and fault schedule, run the protocol in virtual time, check invariants.",
            $"Invariants: {string.Join(", ", global::Decentral.Simulation.Dst.Invariants.InvariantNames.All)}.",
            "Mutants (--mutant) plant a known bug the campaign must catch:",
        };
        lines.AddRange(DstMutant.All.Select(m => $"  {m.Name}: {m.Description}"));
        lines.Add("Exit code: 0 no violation (with --mutant: caught), 1 violations (with --mutant: not caught), 2 bad input.");
        return string.Join(Environment.NewLine, lines);
    }

    private static int RunOne(long seed, DstMutant? mutant, DstSettings settings, bool trace, bool json, TextWriter stdout)
    {
        var result = DstRunner.Run(seed, mutant, settings, trace);
        if (trace)
        {
            stdout.Write(result.Trace);
        }
        var campaign = new DstCampaignResult(seed, seed, mutant, [result], result.WallTime);
        if (json)
        {
            stdout.WriteLine(campaign.ToJson());
            return campaign.ExitCode;
        }
        stdout.WriteLine($"seed {seed}: {result.Scenario.Describe()}");
        foreach (var e in result.Scenario.Episodes)
        {
            stdout.WriteLine($"  fault {e}");
        }
        // With --trace the whole output must be byte-identical run to run: leave out the wall time.
        WriteResult(result, stdout, wallTime: !trace);
        return campaign.ExitCode;
    }

    private static int RunCampaign(
        long first, long last, DstMutant? mutant, DstSettings settings, int jobs, bool failFast, bool json, bool verbose, TextWriter stdout)
    {
        if (!json)
        {
            stdout.WriteLine($"dst: seeds {first}-{last}, mutant {mutant?.Name ?? "none"}, {jobs} job(s)");
        }
        var campaign = DstCampaign.Run(first, last, mutant, settings, jobs, failFast, r =>
        {
            if (!json && (verbose || !r.Passed))
            {
                WriteResult(r, stdout);
            }
        });
        if (json)
        {
            stdout.WriteLine(campaign.ToJson());
        }
        else
        {
            var verdict = mutant is null
                ? (campaign.Failed == 0 ? "no violation" : "VIOLATIONS FOUND")
                : (campaign.Failed > 0 ? $"mutant {mutant.Name} caught (first at seed {campaign.Failures.First().Seed})" : $"mutant {mutant.Name} NOT caught");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeds {campaign.Seeds}: passed {campaign.Passed}, failed {campaign.Failed} — {verdict} ({campaign.WallTime.TotalSeconds:0.0} s wall)"));
        }
        return campaign.ExitCode;
    }

    private static void WriteResult(DstResult r, TextWriter stdout, bool wallTime = true)
    {
        var inv = CultureInfo.InvariantCulture;
        if (r.Passed)
        {
            stdout.WriteLine(string.Create(inv,
                $"seed {r.Seed}: passed — {r.StagesCompleted} stages completed, {r.ContractionPairs} pairs and {r.ContractionRounds} rounds checked for contraction, "
                + $"{r.Resumes} restart(s), final Δ₂ {r.FinalDiameter:g3}, peak {r.PeakBufferedStages} stages buffered and {r.PeakRegisterInstances} register arrays (bound {DstRunner.RegisterBound(r.Scenario)}), "
                + $"{r.Events} events, {r.VirtualTime.TotalSeconds:0.###} s virtual{(wallTime ? $", {r.WallTime.TotalMilliseconds:0} ms wall" : string.Empty)}"));
            return;
        }
        stdout.WriteLine($"seed {r.Seed}: VIOLATION of {r.Violation!.Invariant}: {r.Violation.Message}");
        stdout.WriteLine(string.Create(inv, $"  at {r.Violation.Time.TotalMilliseconds:0.###} ms virtual, event {r.Violation.EventIndex}; scenario: {r.Scenario.Describe()}"));
        stdout.WriteLine("  last events:");
        foreach (var line in r.Tail)
        {
            stdout.WriteLine("  " + line);
        }
        stdout.WriteLine($"  replay: {r.Replay}");
    }

    private static DstSettings LoadSettings(string file)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"--config: no such file '{file}'.");
        }
        try
        {
            return SettingsFrom(HoconParser.ParseFile(file));
        }
        catch (HoconException e)
        {
            throw new UsageException($"--config {file}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--config {file}: {UsageException.FirstSentence(e.Message)}");
        }
    }

    /// <summary>Reads the optional `dst { … }` block of <paramref name="config"/> over the defaults.</summary>
    internal static DstSettings SettingsFrom(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = DstSettings.Default;
        if (!config.HasPath("dst"))
        {
            return d;
        }
        var c = config.GetConfig("dst");
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "max-clusters", "max-cluster-size", "min-iterations", "max-iterations", "min-dimension", "max-dimension",
            "max-rounds", "max-cluster-rounds", "min-final-rounds", "max-final-rounds", "clusters-quorum-share",
            "max-episodes", "faults", "epsilon",
        };
        foreach (var key in c.Keys)
        {
            if (!known.Contains(key))
            {
                throw new ArgumentException($"Unknown key 'dst.{key}'; known keys: {string.Join(", ", known.Order(StringComparer.Ordinal))}.", nameof(config));
            }
        }
        var settings = new DstSettings
        {
            MaxClusters = c.HasPath("max-clusters") ? c.GetInt("max-clusters") : d.MaxClusters,
            MaxClusterSize = c.HasPath("max-cluster-size") ? c.GetInt("max-cluster-size") : d.MaxClusterSize,
            MinIterations = c.HasPath("min-iterations") ? c.GetInt("min-iterations") : d.MinIterations,
            MaxIterations = c.HasPath("max-iterations") ? c.GetInt("max-iterations") : d.MaxIterations,
            MinDimension = c.HasPath("min-dimension") ? c.GetInt("min-dimension") : d.MinDimension,
            MaxDimension = c.HasPath("max-dimension") ? c.GetInt("max-dimension") : d.MaxDimension,
            MaxRounds = c.HasPath("max-rounds") ? c.GetInt("max-rounds") : d.MaxRounds,
            MaxClusterRounds = c.HasPath("max-cluster-rounds") ? c.GetInt("max-cluster-rounds") : d.MaxClusterRounds,
            MinFinalRounds = c.HasPath("min-final-rounds") ? c.GetInt("min-final-rounds") : d.MinFinalRounds,
            MaxFinalRounds = c.HasPath("max-final-rounds") ? c.GetInt("max-final-rounds") : d.MaxFinalRounds,
            ClustersQuorumShare = c.HasPath("clusters-quorum-share") ? c.GetDouble("clusters-quorum-share") : d.ClustersQuorumShare,
            MaxEpisodes = c.HasPath("max-episodes") ? c.GetInt("max-episodes") : d.MaxEpisodes,
            Faults = c.HasPath("faults") ? DstSettings.ParseFaults(c.GetStringList("faults")) : d.Faults,
            Epsilon = c.HasPath("epsilon") ? c.GetDouble("epsilon") : d.Epsilon,
        };
        settings.Validate();
        return settings;
    }
}
