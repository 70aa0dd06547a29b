using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Decentral.Agreement;
using Decentral.Agreement.Simulation;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral agreement`: one seeded simulated run of inter-cluster MDAA with cluster AA on random N(0, 1)
/// inputs under the adversarial schedule; prints Δcw and Δ₂ per round, the contraction ratios and the
/// paper's bound. The rounds run <see cref="Mdaa"/>, the round machine of every protocol node, with the
/// protocol's de-duplication rule (one value per cluster under a cluster-based quorum).
/// </summary>
internal static class AgreementCommand
{
    /// <summary>Exit code for bad input, as for every command.</summary>
    public const int BadInput = 2;

    public static Command Create()
    {
        var clusters = new Option<int>("--clusters") { Description = "Number of clusters m (with --cluster-size)", DefaultValueFactory = _ => 5 };
        var clusterSize = new Option<int>("--cluster-size") { Description = "Processes per cluster", DefaultValueFactory = _ => 3 };
        var sizes = new Option<string?>("--sizes") { Description = "Cluster sizes, e.g. 3,2,4 (instead of --clusters/--cluster-size)" };
        var dim = new Option<int>("--dim") { Description = "Dimension d of the vectors", DefaultValueFactory = _ => 50 };
        var rounds = new Option<int>("--rounds") { Description = "Inter-cluster rounds R", DefaultValueFactory = _ => 12 };
        var rule = new Option<string>("--rule") { Description = "mid-extremes | mean | median | trimmed-mean[:f]", DefaultValueFactory = _ => "mid-extremes" };
        var quorum = new Option<string>("--quorum") { Description = "processes | clusters | any:M", DefaultValueFactory = _ => "processes" };
        var seed = new Option<int>("--seed") { Description = "Seed of inputs, schedule and crashes", DefaultValueFactory = _ => 1 };
        var crash = new Option<int>("--crash") { Description = "Processes to crash at random points (at most what the quorum tolerates)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };

        var command = new Command("agreement", "Simulate cluster-based MDAA on random inputs and report contraction per round");
        foreach (var option in new Option[] { clusters, clusterSize, sizes, dim, rounds, rule, quorum, seed, crash, json })
        {
            command.Add(option);
        }

        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            MdaaSimulationOptions options;
            try
            {
                options = BuildOptions(
                    parse.GetValue(sizes),
                    // Options with defaults have an implicit result even when not typed.
                    parse.GetResult(clusters) is { Implicit: false } || parse.GetResult(clusterSize) is { Implicit: false },
                    parse.GetValue(clusters),
                    parse.GetValue(clusterSize),
                    parse.GetValue(dim),
                    parse.GetValue(rounds),
                    parse.GetValue(rule)!,
                    parse.GetValue(quorum)!,
                    parse.GetValue(seed),
                    parse.GetValue(crash));
            }
            catch (UsageException e)
            {
                stderr.WriteLine($"decentral agreement: {e.Message}");
                return BadInput;
            }

            var result = MdaaSimulation.Run(options);
            if (parse.GetValue(json))
            {
                WriteJson(result, stdout);
            }
            else
            {
                WriteTable(result, stdout);
            }

            return 0;
        });
        return command;
    }

    internal static MdaaSimulationOptions BuildOptions(
        string? sizes, bool uniformGiven, int clusters, int clusterSize, int dim, int rounds,
        string rule, string quorum, int seed, int crash)
    {
        ClusterLayout layout;
        if (sizes is not null)
        {
            if (uniformGiven)
            {
                throw new UsageException("--sizes cannot be combined with --clusters or --cluster-size.");
            }

            layout = UsageException.Wrap("--sizes", () => ClusterLayout.ParseSizes(sizes));
        }
        else
        {
            Require(clusters >= 1, "--clusters", $"must be at least 1 (got {clusters})");
            Require(clusterSize >= 1, "--cluster-size", $"must be at least 1 (got {clusterSize})");
            layout = UsageException.Wrap("--clusters", () => ClusterLayout.Uniform(clusters, clusterSize));
        }

        Require(dim >= 1, "--dim", $"must be at least 1 (got {dim})");
        Require(rounds >= 1, "--rounds", $"must be at least 1 (got {rounds})");
        var aggregation = UsageException.Wrap("--rule", () => AggregationRules.Parse(rule));
        var quorumRule = UsageException.Wrap("--quorum", () => QuorumRule.Parse(quorum));
        UsageException.Wrap("--quorum", () => { quorumRule.Validate(layout); return 0; });
        Require(crash >= 0, "--crash", $"must not be negative (got {crash})");
        var tolerated = quorumRule.MaxTolerableCrashes(layout);
        Require(
            crash <= tolerated,
            "--crash",
            $"{crash} crashes could leave no quorum (quorum {quorumRule}, clusters {layout}); at most {tolerated} are tolerated");
        return new MdaaSimulationOptions
        {
            Layout = layout,
            Dimension = dim,
            Rounds = rounds,
            Rule = aggregation,
            Quorum = quorumRule,
            Seed = seed,
            Crashes = crash,
            // The worst schedule we know (rotated quorums, scattered collects): a benign random schedule often
            // agrees exactly after one round, which shows nothing about the bound.
            Interleaving = Interleaving.Adversarial,
            // What the protocol's MDAA rounds do (the paper's rule): one value per cluster under a
            // cluster-based quorum; any:M ignores clusters and keeps every value.
            OneValuePerCluster = quorumRule.Kind != QuorumKind.Any,
        };
    }

    private static void WriteJson(MdaaSimulationResult result, TextWriter stdout)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("rounds");
            foreach (var r in result.Rounds)
            {
                w.WriteStartObject();
                w.WriteNumber("round", r.Round);
                WriteNumberOrNull(w, "diameter_cw", r.DiameterCw);
                WriteNumberOrNull(w, "diameter_l2", r.DiameterL2);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteNumberOrNull(w, "worst_contraction", result.WorstTwoRoundRatioCw);
            w.WriteBoolean("valid", IsValid(result));
            w.WriteNumber("bound", result.Bound);
            w.WriteBoolean("one_value_per_cluster", result.Options.OneValuePerCluster);
            w.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteTable(MdaaSimulationResult result, TextWriter stdout)
    {
        var o = result.Options;
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(inv,
            $"MDAA: clusters {o.Layout} (m = {o.Layout.ClusterCount}, n = {o.Layout.N}), d = {o.Dimension}, R = {o.Rounds}, K = {o.ClusterRounds}, rule {o.Rule.Name}, quorum {o.Quorum}, seed {o.Seed}, crashes {o.Crashes}, schedule {o.Interleaving.ToString().ToLowerInvariant()}, {(o.OneValuePerCluster ? "one value per cluster" : "every value")}"));
        stdout.WriteLine("round  values         Δcw          Δ₂   Δcw ratio   2-round ratio");
        foreach (var r in result.Rounds)
        {
            stdout.WriteLine(string.Create(inv,
                $"{r.Round,5}  {r.Participants,6}  {r.DiameterCw,10:G4}  {r.DiameterL2,10:G4}  {Format(r.RatioCw),10}  {Format(r.TwoRoundRatioCw),14}"));
        }

        stdout.WriteLine(string.Create(inv, $"bound q per two rounds (m = {o.Layout.ClusterCount}): {result.Bound:0.####}"));
        stdout.WriteLine(string.Create(inv, $"worst two-round contraction of Δcw: {Format(result.WorstTwoRoundRatioCw)}"));
        stdout.WriteLine(IsValid(result) ? "valid: true" : $"valid: false ({result.Violation ?? "a live process did not finish"})");
    }

    /// <summary>Valid: every value inside the previous round's hull (box for coordinate-wise rules) and every live process finished.</summary>
    private static bool IsValid(MdaaSimulationResult result) => result.Valid && result.AllLiveFinished;

    private static string Format(double? v) =>
        v is { } x && !double.IsNaN(x) ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Require(bool condition, string option, string message)
    {
        if (!condition)
        {
            throw new UsageException($"{option} {message}.");
        }
    }
}
