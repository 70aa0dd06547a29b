using System.CommandLine;
using Decentral.Configuration;
using Decentral.Remote;

namespace Decentral.Host.Commands;

/// <summary>Options and loading shared by `node`, `up`, `status` and `fault`.</summary>
internal static class RemoteCli
{
    public static Option<string?> ConfigOption(bool required = false) => new("--config")
    {
        Description = "HOCON configuration file shared by every process (default: the embedded local.conf)",
        Required = required,
    };

    public static Option<bool> JsonOption(string description) => new("--json") { Description = description };

    /// <summary>Loads the run and its remote options; on a configuration error reports it and returns null.</summary>
    public static (ConfiguredRun Run, RemoteOptions Remote)? Load(string? configFile, IReadOnlyList<string> overrides, TextWriter stderr, string command)
    {
        try
        {
            var run = RunConfiguration.Load(configFile, overrides);
            return (run, RemoteOptionsReader.Read(run));
        }
        catch (ConfigurationException e)
        {
            ConfigCommand.Report(stderr, command, e);
            return null;
        }
    }

    /// <summary>Opens the deployment's TLS certificate (<see cref="RemoteTls.Load"/>); on a problem reports it (exit 2) and returns null.</summary>
    public static TlsMaterial? LoadTls(RemoteOptions remote, TextWriter stderr, string command)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(remote.Tls);
        try
        {
            return RemoteTls.Load(remote.Tls);
        }
        catch (ConfigurationException e)
        {
            ConfigCommand.Report(stderr, command, e);
            return null;
        }
    }

    /// <summary>The cluster index of <paramref name="name"/>, or −1 after writing an error that lists the clusters.</summary>
    public static int Cluster(RemoteOptions remote, string name, TextWriter stderr, string command)
    {
        var index = remote.IndexOf(name);
        if (index < 0)
        {
            stderr.WriteLine($"{command}: no cluster is named '{name}' (clusters: {string.Join(", ", remote.Clusters)}).");
        }

        return index;
    }
}
