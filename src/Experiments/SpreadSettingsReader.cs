using Decentral.Hocon;
using Decentral.Configuration;
using Decentral.Nodes.Optimization;

namespace Decentral.Experiments;

/// <summary>
/// Reads `decentral experiment spread`: the decentralized run from the configuration like `simulate`
/// (file or embedded default, <c>--set</c>, reference.conf), and the experiment's keys from
/// <c>decentral.experiment.spread</c> with the built-in defaults of <see cref="DefaultsText"/>
/// (documented in hocon/experiments/spread.conf). Every problem is a <see cref="ConfigurationException"/>.
/// </summary>
public static class SpreadSettingsReader
{
    public const string Section = "decentral.experiment.spread";

    public const string DefaultsSource = "experiment spread defaults (built in)";

    public const string DefaultsText = """
        decentral.experiment.spread {
          iterations = 300
          step = paper-bound
          decay-t0 = 20
          any = null
          partition { cut = [c1], from = 50, until = 200 }
        }
        """;

    private static readonly Lazy<Config> Defaults = new(() => HoconParser.Parse(DefaultsText, DefaultsSource));

    private static readonly string[] KnownKeys = ["iterations", "step", "decay-t0", "any", "partition", "partition.cut", "partition.from", "partition.until"];

    public static SpreadSettings Load(string? configFile, IReadOnlyList<string>? overrides = null, ConfigurationLoadOptions? options = null)
    {
        var loaded = ConfigurationLoader.Load(configFile, overrides, options);
        var general = SettingsReader.Read(loaded);
        var config = loaded.Config.WithFallback(Defaults.Value);
        var r = new ConfigReader(config);
        var s = Section + ".";
        if (config.HasPath(Section))
        {
            foreach (var (path, value) in config.GetConfig(Section).Entries())
            {
                if (!KnownKeys.Contains(path, StringComparer.Ordinal))
                {
                    var suggestion = KeySuggestions.ClosestPath($"{Section}.{path}", [.. KnownKeys.Select(k => $"{Section}.{k}")]);
                    r.Error($"{Section}.{path}", value.Origin, "unknown key" + KeySuggestions.DidYouMean(suggestion));
                }
            }
        }
        var iterations = r.Int(s + "iterations", 2, 1_000_000, 300);
        var stepText = r.String(s + "step").Trim();
        var t0 = r.Number(s + "decay-t0", 0, exclusive: true);
        var any = r.Get(s + "any", static (c, k) => c.HasPath(k) ? c.GetInt(k) : (int?)null, null);
        var cut = r.Get(s + "partition.cut", static (c, k) => c.GetStringList(k), []);
        var from = r.Int(s + "partition.from", 1, 1_000_000, 50);
        var until = r.Int(s + "partition.until", 1, 1_000_000, 200);
        if (r.Errors.Count > 0)
        {
            throw new ConfigurationException(r.Errors);
        }

        var spec = RunSpecFactory.Build(general);
        spec = spec with { Protocol = spec.Protocol with { Iterations = iterations, FinalRounds = 0 } };
        var objective = spec.Training.GlobalObjective();
        var smoothness = objective.SmoothnessEstimate ?? throw new ConfigurationException(new ConfigurationError(
            "decentral.model", null, $"the spread experiment compares with the paper's bound, which needs the smoothness L of the objective; model {objective.Model.Name} does not give it (ISmoothModel)"));
        var bound = StepSize.PaperBound(smoothness, objective.Dimension, spec.Layout.ClusterCount);
        double step;
        var paper = string.Equals(stepText, "paper-bound", StringComparison.OrdinalIgnoreCase);
        if (paper)
        {
            step = bound;
        }
        else if (!double.TryParse(stepText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out step) || !(step > 0))
        {
            r.Error(s + "step", $"expected paper-bound or a positive number, found '{stepText}'");
        }
        var names = Enumerable.Range(0, spec.Layout.ClusterCount).Select(spec.ClusterName).ToList();
        if (cut.Count == 0 || cut.Count >= names.Count || cut.Any(c => !names.Contains(c)))
        {
            r.Error(s + "partition.cut", $"expected some but not all of the clusters {string.Join(", ", names)}, found [{string.Join(", ", cut)}]");
        }
        if (until <= from || until > iterations)
        {
            r.Error(s + "partition.until", $"expected an iteration after partition.from ({from}) and at most iterations ({iterations}), found {until}");
        }
        var cutNodes = Enumerable.Range(0, spec.Layout.N).Count(n => cut.Contains(spec.ClusterName(spec.Layout.ProcessAt(n).Cluster)));
        var m = any ?? cutNodes;
        if (m < 1 || m > Math.Max(1, Math.Min(cutNodes, spec.Layout.N - cutNodes)))
        {
            r.Error(s + "any", $"expected M from 1 to {Math.Min(cutNodes, spec.Layout.N - cutNodes)} (each side of the partition must be able to gather M models), found {m}");
        }
        if (r.Errors.Count > 0)
        {
            throw new ConfigurationException(r.Errors);
        }
        return new SpreadSettings
        {
            Spec = spec,
            Step = step,
            StepIsPaperBound = paper,
            DecayT0 = t0,
            Cut = cut,
            PartitionFrom = from,
            PartitionUntil = until,
            Any = m,
            Source = loaded.SourceName,
            ModelSummary = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Nodes.Training.ObjectiveFactory.Name(general.Model.Objective)} λ = {general.Model.Lambda:G4}"),
        };
    }
}
