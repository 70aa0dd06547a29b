using System.Net;
using Decentral.Actors;
using Decentral.Host.Configuration;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Remote;

/// <summary>
/// Reads the multi-process keys of <c>decentral.remote</c> (reference.conf documents each) on top of the
/// endpoints and secret the settings reader already validated. Problems are collected and thrown as one
/// <see cref="ConfigurationException"/> naming key and position, like every configuration error.
/// </summary>
public static class RemoteOptionsReader
{
    private const string Section = "decentral.remote";
    private const int MaxPort = 65535;
    private const long MinFrame = TcpTransportSettings.MinMaxFrameBytes;
    private const long MaxFrame = TcpTransportSettings.MaxMaxFrameBytes;

    private static readonly (string, VectorEncoding)[] WireFormats = [("float64", VectorEncoding.Float64), ("float32", VectorEncoding.Float32)];

    /// <param name="environment">Environment lookup for <c>secret-env</c>; null = the process environment.</param>
    /// <exception cref="ConfigurationException">A key has the wrong type or range, ports collide, or a secret is missing off loopback.</exception>
    public static RemoteOptions Read(ConfiguredRun run, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        environment ??= Environment.GetEnvironmentVariable;
        var r = new ConfigReader(run.Source.Config);
        var names = run.Settings.Cluster.Names;
        var endpoints = run.Settings.Remote.Endpoints;
        var addresses = names.Select((n, i) => new Address(n, endpoints[i].Host, endpoints[i].Port)).ToArray();

        var adminBase = r.Int(Key("admin-base-port"), 1, MaxPort, 25620);
        var adminList = r.Get(Key("admin-ports"), static (c, k) => c.GetIntList(k), []);
        var adminPorts = AdminPorts(r, names.Count, adminBase, adminList);
        var wire = r.Choice(Key("wire-format"), WireFormats, VectorEncoding.Float64);
        var frame = r.Get(Key("max-frame-size"), static (c, k) => c.GetBytes(k), (long)TcpTransportSettings.DefaultMaxFrameBytes);
        if (r.Ok(Key("max-frame-size")) && (frame < MinFrame || frame > MaxFrame))
        {
            r.Error(Key("max-frame-size"), $"expected a size from 1KiB to 1GiB, found {frame} bytes");
        }

        var queue = r.Int(Key("send-queue"), 1, 1_000_000, TcpTransportSettings.DefaultSendQueueCapacity);
        var reconnectMin = r.Duration(Key("reconnect-min-delay"), false, TcpTransportSettings.DefaultReconnectMinDelay);
        var reconnectMax = r.Duration(Key("reconnect-max-delay"), false, TcpTransportSettings.DefaultReconnectMaxDelay);
        if (r.Ok(Key("reconnect-min-delay")) && r.Ok(Key("reconnect-max-delay")) && reconnectMax < reconnectMin)
        {
            r.Error(Key("reconnect-max-delay"), $"expected at least reconnect-min-delay ({reconnectMin.TotalMilliseconds} ms)");
        }

        var connect = r.Duration(Key("connect-timeout"), false, TcpTransportSettings.DefaultConnectTimeout);
        var handshake = r.Duration(Key("handshake-timeout"), false, TcpTransportSettings.DefaultHandshakeTimeout);
        var heartbeat = r.Duration(Key("heartbeat-interval"), false, TcpTransportSettings.DefaultHeartbeatInterval);
        var idle = r.Duration(Key("idle-timeout"), false, TcpTransportSettings.DefaultIdleTimeout);
        if (r.Ok(Key("heartbeat-interval")) && r.Ok(Key("idle-timeout")) && idle < 2 * heartbeat)
        {
            r.Error(Key("idle-timeout"), $"expected at least twice heartbeat-interval ({(2 * heartbeat).TotalMilliseconds} ms)");
        }

        var linger = r.Duration(Key("linger"), true, TimeSpan.FromSeconds(30));
        var stateDir = StateDirectory(r, run.Source);
        var (secret, source) = Secret(r, run.Settings.Remote.Secret, environment, addresses);
        CheckPortsDistinct(r, addresses, adminPorts);
        if (r.Ok(Key("max-frame-size")) && NeededFrame(run.Spec.Training.Dimension, wire) > frame)
        {
            var hint = wire == VectorEncoding.Float64 ? "raise it or use wire-format = float32" : "raise it";
            r.Error(Key("max-frame-size"),
                $"{frame} bytes cannot hold a model of dimension {run.Spec.Training.Dimension} ({NeededFrame(run.Spec.Training.Dimension, wire)} bytes in {wire.ToString().ToLowerInvariant()}); {hint}");
        }

        if (r.Errors.Count > 0)
        {
            throw new ConfigurationException(r.Errors);
        }

        return new RemoteOptions
        {
            Clusters = names,
            Addresses = addresses,
            AdminPorts = adminPorts,
            Secret = secret,
            SecretSource = source,
            WireFormat = wire,
            MaxFrameBytes = (int)frame,
            SendQueue = queue,
            ReconnectMinDelay = reconnectMin,
            ReconnectMaxDelay = reconnectMax,
            ConnectTimeout = connect,
            HandshakeTimeout = handshake,
            HeartbeatInterval = heartbeat,
            IdleTimeout = idle,
            StateDirectory = stateDir,
            Linger = linger,
        };
    }

    /// <summary>Bytes of the largest frame a model of dimension <paramref name="dimension"/> needs (payload and framing).</summary>
    public static long NeededFrame(int dimension, VectorEncoding wire) => ProtocolWireCodec.EncodedLength(dimension, wire) + 512L;

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

    private static (byte[] Secret, string Source) Secret(ConfigReader r, string? configured, Func<string, string?> environment, Address[] addresses)
    {
        var variable = r.OptionalString(Key("secret-env"));
        if (variable is { Length: > 0 } && environment(variable) is { Length: > 0 } fromEnvironment)
        {
            return (TcpTransportSettings.SecretFromText(fromEnvironment), "$" + variable);
        }

        if (configured is { Length: > 0 })
        {
            return (TcpTransportSettings.SecretFromText(configured), Key("secret"));
        }

        var exposed = addresses.FirstOrDefault(a => !IsLoopback(a.Host!));
        if (exposed is not null)
        {
            r.Error(Key("secret"),
                $"cluster {exposed.System} listens on {exposed.Host}, beyond loopback: set decentral.remote.secret or the DECENTRAL_SECRET environment variable (the same on every machine)");
        }

        return (TcpTransportSettings.SecretFromText(RemoteOptions.DevelopmentSecret), "the built-in loopback development secret");
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static void CheckPortsDistinct(ConfigReader r, Address[] addresses, IReadOnlyList<int> adminPorts)
    {
        var seen = new Dictionary<(string, int), string>();
        for (var i = 0; i < addresses.Length; i++)
        {
            if (!seen.TryAdd((addresses[i].Host!, addresses[i].Port!.Value), $"the transport of {addresses[i].System}"))
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
