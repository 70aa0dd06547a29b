using System.Net;
using Akka.Actor;
using Decentral.Host.Configuration;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Remote;

/// <summary>
/// Reads the multi-process keys of <c>decentral.remote</c> (reference.conf documents each) on top of the
/// endpoints the settings reader already validated. Problems are collected and thrown as one
/// <see cref="ConfigurationException"/> naming key and position, like every configuration error.
/// </summary>
public static class RemoteOptionsReader
{
    private const string Section = "decentral.remote";
    private const int MaxPort = 65535;

    private static readonly (string, VectorEncoding)[] WireFormats = [("float64", VectorEncoding.Float64), ("float32", VectorEncoding.Float32)];

    /// <exception cref="ConfigurationException">A key has the wrong type or range, or ports collide.</exception>
    public static RemoteOptions Read(ConfiguredRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = new ConfigReader(run.Source.Config);
        var names = run.Settings.Cluster.Names;
        var endpoints = run.Settings.Remote.Endpoints;
        var addresses = names.Select((n, i) => new Address(RemoteRuntimes.Protocol, n, endpoints[i].Host, endpoints[i].Port)).ToArray();

        var adminBase = r.Int(Key("admin-base-port"), 1, MaxPort, 25620);
        var adminList = r.Get(Key("admin-ports"), static (c, k) => c.GetIntList(k), []);
        var adminPorts = AdminPorts(r, names.Count, adminBase, adminList);
        var wire = r.Choice(Key("wire-format"), WireFormats, VectorEncoding.Float64);
        var defaults = RemoteTuning.Default;
        var connect = r.Duration(Key("connect-timeout"), false, defaults.ConnectTimeout);
        var reconnect = r.Duration(Key("reconnect-delay"), false, defaults.ReconnectDelay);
        var heartbeat = r.Duration(Key("heartbeat-interval"), false, defaults.HeartbeatInterval);
        var idle = r.Duration(Key("idle-timeout"), false, defaults.IdleTimeout);
        if (r.Ok(Key("heartbeat-interval")) && r.Ok(Key("idle-timeout")) && idle < 2 * heartbeat)
        {
            r.Error(Key("idle-timeout"), $"expected at least twice heartbeat-interval ({(2 * heartbeat).TotalMilliseconds} ms)");
        }

        var linger = r.Duration(Key("linger"), true, TimeSpan.FromSeconds(30));
        var stateDir = StateDirectory(r, run.Source);
        CheckHosts(r, addresses);
        CheckPortsDistinct(r, addresses, adminPorts);
        if (r.Errors.Count > 0)
        {
            throw new ConfigurationException(r.Errors);
        }

        return new RemoteOptions
        {
            Clusters = names,
            Addresses = addresses,
            AdminPorts = adminPorts,
            WireFormat = wire,
            Tuning = new RemoteTuning(connect, reconnect, heartbeat, idle),
            StateDirectory = stateDir,
            Linger = linger,
        };
    }

    /// <summary>Whether <paramref name="host"/> is a loopback name or address.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static string Key(string name) => $"{Section}.{name}";

    private static int[] AdminPorts(ConfigReader r, int clusters, int adminBase, IReadOnlyList<int> list)
    {
        if (list.Count > 0)
        {
            if (list.Count != clusters)
            {
                r.Error(Key("admin-ports"), $"expected one port per cluster ({clusters}), found {list.Count}");
            }
            else if (list.Any(p => p is < 1 or > MaxPort))
            {
                r.Error(Key("admin-ports"), $"expected ports from 1 to {MaxPort}");
            }

            return [.. list];
        }

        if (r.Ok(Key("admin-base-port")) && (long)adminBase + clusters - 1 > MaxPort)
        {
            r.Error(Key("admin-base-port"), $"expected at most {MaxPort - clusters + 1} so that all {clusters} clusters get an admin port, found {adminBase}");
        }

        return [.. Enumerable.Range(0, clusters).Select(i => adminBase + i)];
    }

    private static string StateDirectory(ConfigReader r, LoadedConfiguration loaded)
    {
        var key = Key("state-dir");
        var text = r.OptionalString(key);
        if (text is null)
        {
            return Path.Combine(loaded.WorkingDirectory, ".decentral");
        }

        if (text.Trim().Length == 0)
        {
            r.Error(key, "expected a directory or null, found an empty string");
            return loaded.WorkingDirectory;
        }

        var baseDir = loaded.DirectoryOf(r.OriginOf(key)) ?? loaded.WorkingDirectory;
        return Path.GetFullPath(text, baseDir);
    }

    /// <summary>Akka.Remote binds and advertises the host as given: it must be a host name or an IP address.</summary>
    private static void CheckHosts(ConfigReader r, Address[] addresses)
    {
        var defaultHost = r.OptionalString(Key("host"));
        foreach (var address in addresses.Where(a => Uri.CheckHostName(a.Host) == UriHostNameType.Unknown))
        {
            var key = address.Host == defaultHost ? Key("host") : $"{Section}.clusters.{address.System}.host";
            r.Error(key, $"'{address.Host}' (cluster {address.System}) is not a host name or IP address");
        }
    }

    private static void CheckPortsDistinct(ConfigReader r, Address[] addresses, IReadOnlyList<int> adminPorts)
    {
        var seen = new Dictionary<(string, int), string>();
        for (var i = 0; i < addresses.Length; i++)
        {
            if (!seen.TryAdd((addresses[i].Host!, addresses[i].Port!.Value), $"the actor system of {addresses[i].System}"))
            {
                r.Error(Section, $"{addresses[i].System} and another cluster both listen on {addresses[i].Host}:{addresses[i].Port}");
            }
        }

        for (var i = 0; i < adminPorts.Count && i < addresses.Length; i++)
        {
            if (IsLoopback(addresses[i].Host!) && !seen.TryAdd((addresses[i].Host!, adminPorts[i]), $"the admin endpoint of {addresses[i].System}"))
            {
                r.Error(Key("admin-base-port"), $"admin port {adminPorts[i]} of {addresses[i].System} is also {seen[(addresses[i].Host!, adminPorts[i])]}");
            }
        }
    }
}
