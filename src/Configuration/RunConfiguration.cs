using System.Globalization;
using Decentral.Hocon;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Configuration;

/// <summary>A configuration loaded, validated and turned into a runnable spec.</summary>
public sealed record ConfiguredRun(LoadedConfiguration Source, DecentralSettings Settings, ClusterRunSpec Spec)
{
    /// <summary>One line for logs and `config check`: layout, data, objective, T, R, faults.</summary>
    public string Summary()
    {
        var s = Settings;
        var layout = s.Cluster.Layout;
        var data = Spec.Training.Data;
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv,
            $"{layout.ClusterCount} clusters ({string.Join(",", s.Cluster.Names.Select((n, i) => $"{n}:{layout.SizeOf(i)}"))}) = {layout.N} nodes, " +
            $"quorum {s.Cluster.Quorum.Kind.ToString().ToLowerInvariant()}{(s.Cluster.Quorum.Count > 0 ? ":" + s.Cluster.Quorum.Count.ToString(inv) : "")}, " +
            $"data {data.Name} ({data.Rows}×{data.Dimension}, {s.Model.Partition.ToString().ToLowerInvariant()}), " +
            $"{ObjectiveFactory.Name(s.Model.Objective)} λ={s.Model.Lambda}, T={s.Sgd.Iterations}, η {Spec.Training.StepSize}{(s.Sgd.Optimizer is Nodes.Optimization.Local.SgdOptimizer ? "" : $", {s.Sgd.Optimizer}")}, batch {s.Sgd.BatchSize}, " +
            $"R={s.Agreement.Rounds}+{s.Agreement.FinalRounds} ({s.Agreement.Rule.Name}), K={s.Agreement.ClusterRounds}, " +
            $"compute {s.ComputeTime.Model.ToString().ToLowerInvariant()}, checkpoints {s.Checkpoint.Store.ToString().ToLowerInvariant()}, " +
            $"{s.Faults.Count} fault{(s.Faults.Count == 1 ? "" : "s")}, seed {s.Seed}");
    }
}

/// <summary>
/// The one call a command needs: load (file or embedded default, overrides, reference fallback),
/// validate every key, load the data and build the <see cref="ClusterRunSpec"/>. Every problem is a
/// <see cref="ConfigurationException"/> (exit code 2), thrown before anything starts.
/// </summary>
public static class RunConfiguration
{
    /// <param name="configFile">A HOCON file, or null for the embedded hocon/local.conf.</param>
    /// <param name="overrides"><c>key=value</c> assignments (HOCON values) that win over the file.</param>
    public static ConfiguredRun Load(string? configFile, IReadOnlyList<string>? overrides = null, ConfigurationLoadOptions? options = null)
    {
        var loaded = ConfigurationLoader.Load(configFile, overrides, options);
        var settings = SettingsReader.Read(loaded);
        return new ConfiguredRun(loaded, settings, RunSpecFactory.Build(settings) with { AkkaOverrides = AkkaBlock(loaded) });
    }

    /// <summary>
    /// The file's own <c>akka { }</c> block, rendered for Akka (null when it has none): it lies over
    /// Decentral's embedded Akka settings and under the values Decentral computes (ports, frames, timings).
    /// </summary>
    private static string? AkkaBlock(LoadedConfiguration loaded)
    {
        const string key = "akka";
        if (!loaded.Config.HasPath(key))
        {
            return null;
        }

        if (loaded.Config.GetValue(key) is not HoconObject)
        {
            throw new ConfigurationException(new ConfigurationError(key, loaded.Config.GetOrigin(key), "expected an object of Akka settings"));
        }

        // Only the akka subtree reaches Akka: the rest of the file is Decentral's.
        return "akka {\n" + loaded.Config.GetConfig(key).ToHocon() + "}\n";
    }
}
