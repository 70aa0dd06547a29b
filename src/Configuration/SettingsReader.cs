using System.Globalization;
using Decentral.Agreement;
using Decentral.Hocon;
using Decentral.Nodes.Data;
using Decentral.Nodes.Training;

namespace Decentral.Configuration;

/// <summary>
/// Maps a resolved configuration to <see cref="DecentralSettings"/>: checks for unknown keys, reads
/// every key with its type and range, and checks the keys against each other (fault targets against
/// cluster names, per-node scales against the node count, …). All problems are collected and thrown
/// together as one <see cref="ConfigurationException"/>. The data file is located here but loaded by
/// <see cref="RunSpecFactory"/>.
/// </summary>
public static partial class SettingsReader
{
    /// <summary>Bound on n for a run on one machine (each node is an actor with its own model vector).</summary>
    public const int MaxNodes = 4096;

    /// <summary>Bound on the clusters and on one cluster's size when given as counts.</summary>
    public const int MaxClusterCount = 256;

    /// <summary>Bound on synthetic rows × features (memory of the generated data).</summary>
    public const long MaxSyntheticEntries = 50_000_000;

    internal static readonly (string, ObjectiveKind)[] Objectives =
    [
        ("logistic-nonconvex", ObjectiveKind.LogisticNonConvex),
        ("logistic-l2", ObjectiveKind.LogisticL2),
        ("least-squares", ObjectiveKind.LeastSquares),
    ];

    /// <summary>A seed: any 64-bit unsigned integer (the generator uses all 64 bits).</summary>
    private static ulong ParseSeed(string text) =>
        ulong.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new ArgumentException($"expected an integer from 0 to {ulong.MaxValue.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}, found '{text}'");

    /// <summary>The longest cluster name, in UTF-8 bytes, leaving room for ".summary.json" in a file name.</summary>
    private const int MaxNameBytes = ConfigPaths.MaxNameBytes - 32;

    /// <summary>'/' and what no file name may hold on this system (cluster names become file names).</summary>
    private static readonly char[] NameForbidden = [.. Path.GetInvalidFileNameChars().Append('/').Distinct()];

    private static readonly (string, PartitionMode)[] Partitions = [("shared", PartitionMode.Shared), ("sharded", PartitionMode.Sharded)];
    private static readonly (string, InitialModel)[] Initials = [("zeros", InitialModel.Zeros), ("ones", InitialModel.Ones)];

    /// <exception cref="ConfigurationException">Every unknown key, wrong type, out-of-range value or inconsistency.</exception>
    public static DecentralSettings Read(LoadedConfiguration loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var reader = new ConfigReader(loaded.Config);
        reader.Errors.AddRange(SchemaCheck.UnknownKeys(loaded.Config, loaded.Reference));
        ConfigPaths.Check(reader);

        var seed = reader.Parsed("decentral.seed", ParseSeed, 0UL);
        var cluster = ReadCluster(reader);
        var model = ReadModel(reader, loaded);
        var sgd = ReadSgd(reader);
        var agreement = ReadAgreement(reader);
        var computeTime = ReadComputeTime(reader, cluster);
        var network = ReadNetwork(reader);
        var checkpoint = ReadCheckpoint(reader, loaded);
        var metricsEvery = reader.Int("decentral.metrics.every", 0, int.MaxValue);
        var faults = FaultReader.Read(reader, cluster, reader.Ok("decentral.sgd.iterations") ? sgd.Iterations : null);
        var remote = ReadRemote(reader, cluster);

        if (reader.Errors.Count > 0)
        {
            throw new ConfigurationException(InFileOrder(reader.Errors));
        }

        return new DecentralSettings
        {
            Seed = seed,
            Cluster = cluster!,
            Model = model,
            Sgd = sgd,
            Agreement = agreement,
            ComputeTime = computeTime,
            Network = network,
            Checkpoint = checkpoint,
            MetricsEvery = metricsEvery,
            Faults = faults,
            Remote = remote,
        };
    }

    /// <summary>Errors sorted by where they were written (sources in order of first appearance), so they read like a compiler's.</summary>
    private static List<ConfigurationError> InFileOrder(List<ConfigurationError> errors)
    {
        var sources = new List<string>();
        foreach (var e in errors)
        {
            if (e.Origin is { } o && !sources.Contains(o.Source))
            {
                sources.Add(o.Source);
            }
        }

        return [.. errors
            .Select((e, i) => (Error: e, Index: i))
            .OrderBy(x => x.Error.Origin is { } o ? sources.IndexOf(o.Source) : int.MaxValue)
            .ThenBy(x => x.Error.Origin?.Line ?? 0)
            .ThenBy(x => x.Error.Origin?.Column ?? 0)
            .ThenBy(x => x.Index)
            .Select(x => x.Error)
            .Distinct()]; // e.g. `decentral = 5` makes every key report the same "expected an object"
    }

    /// <summary>The layout, quorum and names; null when the layout itself is invalid (dependent checks are skipped).</summary>
    private static ClusterSettings? ReadCluster(ConfigReader r)
    {
        const string sizesKey = "decentral.cluster.sizes";
        ClusterLayout? layout = null;
        if (r.Get(sizesKey, static (c, k) => c.HasPath(k), false))
        {
            var sizes = r.Get(sizesKey, static (c, k) => c.GetIntList(k), []);
            if (r.Ok(sizesKey))
            {
                if (sizes.Count == 0)
                {
                    r.Error(sizesKey, "expected a non-empty list of cluster sizes such as [3, 2, 4], or null");
                }
                else if (sizes.Any(s => s < 1))
                {
                    r.Error(sizesKey, $"every cluster needs at least one process, found [{string.Join(", ", sizes)}]");
                }
                else if (sizes.Sum(s => (long)s) > MaxNodes)
                {
                    r.Error(sizesKey, $"expected at most {MaxNodes} processes in total, found {sizes.Sum(s => (long)s)}");
                }
                else
                {
                    layout = new ClusterLayout(sizes);
                }
            }
        }
        else
        {
            var clusters = r.Int("decentral.cluster.clusters", 1, MaxClusterCount, 1);
            var size = r.Int("decentral.cluster.cluster-size", 1, MaxClusterCount, 1);
            if (r.Ok("decentral.cluster.clusters") && r.Ok("decentral.cluster.cluster-size"))
            {
                layout = clusters * size <= MaxNodes
                    ? ClusterLayout.Uniform(clusters, size)
                    : Fail(r, "decentral.cluster.clusters", $"expected at most {MaxNodes} processes in total, found {clusters} × {size} = {clusters * size}");
            }
        }

        var quorum = r.Parsed("decentral.cluster.quorum", QuorumRule.Parse, QuorumRule.Processes, ["processes", "clusters"]);
        if (layout is null)
        {
            return null;
        }

        if (r.Ok("decentral.cluster.quorum") && quorum.Kind == QuorumKind.Any && quorum.Count > layout.N)
        {
            r.Error("decentral.cluster.quorum", $"quorum any:{quorum.Count} can never be met: the layout has only {layout.N} processes");
        }

        var names = ReadNames(r, layout);
        return names is null ? null : new ClusterSettings(layout, quorum, names.Value.Names) { NamesConfigured = names.Value.Configured };
    }

    private static (IReadOnlyList<string> Names, bool Configured)? ReadNames(ConfigReader r, ClusterLayout layout)
    {
        const string key = "decentral.cluster.names";
        if (!r.Get(key, static (c, k) => c.HasPath(k), false))
        {
            return r.Ok(key)
                ? (Enumerable.Range(1, layout.ClusterCount).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)).ToArray(), false)
                : null;
        }

        var names = r.Get(key, static (c, k) => c.GetStringList(k), []);
        if (!r.Ok(key))
        {
            return null;
        }

        string? problem = null;
        if (names.Count != layout.ClusterCount)
        {
            problem = $"expected {layout.ClusterCount} names (one per cluster), found {names.Count}";
        }
        else if (names.FirstOrDefault(n => n.Length == 0 || n.AsSpan().IndexOfAny(NameForbidden) >= 0 || n.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) is { } bad)
        {
            // Names become file names (logs, pid files, checkpoints) and Akka roles.
            problem = $"cluster name '{ConfigPaths.Printable(bad)}' is empty or contains '/', white space, a control character or a character no file name may hold";
        }
        else if (names.FirstOrDefault(n => System.Text.Encoding.UTF8.GetByteCount(n) > MaxNameBytes) is { } longName)
        {
            problem = $"cluster name '{longName[..32]}…' is longer than {MaxNameBytes} bytes (it becomes part of file names)";
        }
        else if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            problem = $"cluster name '{duplicate.Key}' appears more than once";
        }

        if (problem is not null)
        {
            r.Error(key, problem);
            return null;
        }

        return (names, true);
    }

    private static ModelSettings ReadModel(ConfigReader r, LoadedConfiguration loaded)
    {
        var objective = r.Choice("decentral.model.objective", Objectives, ObjectiveKind.LogisticNonConvex);
        var lambda = r.Number("decentral.model.lambda", 0, exclusive: false, fallback: 0);
        var rows = r.Int("decentral.model.synthetic.rows", 1, int.MaxValue, 1);
        var features = r.Int("decentral.model.synthetic.features", 1, int.MaxValue, 1);
        var partition = r.Choice("decentral.model.partition", Partitions, PartitionMode.Shared);
        var initial = r.Choice("decentral.model.initial", Initials, InitialModel.Zeros);

        const string dataKey = "decentral.model.data";
        var written = r.String(dataKey);
        DataSource data = new SyntheticSource(rows, features);
        if (r.Ok(dataKey) && written.Trim().Length > 0)
        {
            var origin = r.OriginOf(dataKey);
            var starts = loaded.SearchStartsFor(origin);
            var found = DataLocator.Find(written, starts);
            if (found is null)
            {
                var where = Path.IsPathRooted(written) ? "" : $" (looked in {string.Join(" and ", starts)} and {(starts.Count == 1 ? "its" : "their")} parents)";
                r.Error(dataKey, origin, $"data file '{written}' not found{where}; give a LIBSVM file (relative to the configuration file, or absolute) or \"\" for synthetic data");
            }
            else
            {
                data = new DataFileSource(found, written, origin);
            }
        }
        else if (r.Ok("decentral.model.synthetic.rows") && r.Ok("decentral.model.synthetic.features") && (long)rows * features > MaxSyntheticEntries)
        {
            r.Error("decentral.model.synthetic.rows", $"expected rows × features of at most {MaxSyntheticEntries:N0}, found {rows} × {features}");
        }

        return new ModelSettings(objective, lambda, data, partition, initial);
    }

    private static ClusterLayout? Fail(ConfigReader r, string key, string problem)
    {
        r.Error(key, problem);
        return null;
    }
}
