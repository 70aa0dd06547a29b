using System.Net;
using Akka.Actor;
using Decentral.Configuration;
using Decentral.Nodes.Wire;

namespace Decentral.Remote;

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
        var tls = Tls(r, run.Source);
        var scheme = RemoteRuntimes.Scheme(tls is not null, faultAdapters: true);
        var addresses = names.Select((n, i) => new Address(scheme, n, endpoints[i].Host, endpoints[i].Port)).ToArray();

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
        CheckTlsBeyondLoopback(r, addresses, tls);
        CheckPortsDistinct(r, addresses, adminPorts);
        if (r.Errors.Count > 0)
        {
            throw new ConfigurationException(r.Errors);
        }

        return new RemoteOptions
        {
            Clusters = names,
            // Akka.Cluster joins only systems of one name: the cluster is the member's role, not the system.
            Addresses = [.. addresses.Select(a => new Address(a.Protocol, RemoteRuntimes.SystemName, a.Host, a.Port))],
            Tls = tls,
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

    /// <summary>
    /// <c>decentral.remote.tls</c>: null when <c>certificate</c> is null (plaintext). The certificate's path is
    /// relative to the file that names it; only its presence is checked here (<see cref="RemoteTls.Load"/>
    /// opens it, in the commands that start actor systems).
    /// </summary>
    private static TlsOptions? Tls(ConfigReader r, LoadedConfiguration loaded)
    {
        var certificateKey = TlsOptions.CertificateKey;
        var passwordEnv = r.OptionalString(TlsOptions.PasswordEnvKey);
        if (passwordEnv is not null && (passwordEnv.Length == 0 || passwordEnv.Any(c => c == '=' || char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            r.Error(TlsOptions.PasswordEnvKey, $"expected the name of an environment variable or null, found '{passwordEnv}'");
        }

        var trusted = r.Get(TlsOptions.TrustedThumbprintsKey, static (c, k) => c.GetStringList(k), []);
        foreach (var thumbprint in trusted.Where(t => !RemoteTls.IsThumbprint(t)))
        {
            r.Error(TlsOptions.TrustedThumbprintsKey, $"'{thumbprint}' is not a SHA-1 certificate thumbprint (40 hexadecimal digits)");
        }

        var text = r.OptionalString(certificateKey);
        if (text is null)
        {
            return null;
        }

        if (text.Trim().Length == 0)
        {
            r.Error(certificateKey, "expected the path of a PKCS#12 (.pfx) file or null, found an empty string");
            return null;
        }

        var origin = r.OriginOf(certificateKey);
        var path = Path.GetFullPath(text, loaded.DirectoryOf(origin) ?? loaded.WorkingDirectory);
        if (!File.Exists(path))
        {
            r.Error(certificateKey, $"certificate file '{path}' not found (write a development certificate with `decentral cert --out FILE`)");
        }

        return new TlsOptions(path, origin, passwordEnv, [.. trusted.Select(RemoteTls.Normalize)]);
    }

    /// <summary>Beyond loopback, Akka.Remote without TLS would take models from anyone and send them in clear.</summary>
    private static void CheckTlsBeyondLoopback(ConfigReader r, Address[] addresses, TlsOptions? tls)
    {
        if (tls is not null || !r.Ok(TlsOptions.CertificateKey))
        {
            return;
        }

        var exposed = addresses.Where(a => !IsLoopback(a.Host!)).ToList();
        if (exposed.Count > 0)
        {
            r.Error(TlsOptions.CertificateKey,
                $"required: {string.Join(", ", exposed.Select(a => $"{a.System} listens on {a.Host}"))} beyond loopback, where Akka.Remote without TLS would accept any peer and send models in clear; set it to the deployment's PKCS#12 certificate (a development one: `decentral cert --out dev.pfx`)");
        }
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
