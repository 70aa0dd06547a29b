using Decentral.Configuration;
using Decentral.Nodes.Runtime;

namespace Decentral.TestKit;

/// <summary>Cluster specs from the same HOCON files the <c>decentral</c> tool reads.</summary>
public static class ClusterSpecs
{
    /// <summary>
    /// Loads <paramref name="configFile"/> (over the documented reference.conf; relative data paths are
    /// relative to the file) with optional <c>key=value</c> overrides, validates every key and builds the
    /// spec, fault schedule included. A bad file throws <see cref="ConfigurationException"/> naming file,
    /// line, column and key.
    /// </summary>
    public static ClusterRunSpec FromFile(string configFile, params string[] overrides)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configFile);
        return RunConfiguration.Load(Path.GetFullPath(configFile), overrides).Spec;
    }
}
