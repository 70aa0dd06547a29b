using Decentral.Actors;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Remote;

/// <summary>
/// Everything a multi-process deployment needs besides the run itself, from <c>decentral.remote</c>:
/// where each cluster listens (TCP) and serves its admin endpoint, the secret, the wire format and the
/// transport's bounds, where state lives and how long a finished node lingers.
/// </summary>
public sealed record RemoteOptions
{
    /// <summary>Used on loopback when no secret is configured, so local runs work out of the box.</summary>
    internal const string DevelopmentSecret = "decentral-loopback-development-secret";

    /// <summary>Admin endpoints listen here only: fault control must not be reachable from the network.</summary>
    public const string AdminHost = "127.0.0.1";

    /// <summary>Cluster names in cluster order.</summary>
    public required IReadOnlyList<string> Clusters { get; init; }

    /// <summary>The actor-system address of each cluster (dct://c1@host:port).</summary>
    public required IReadOnlyList<Address> Addresses { get; init; }

    /// <summary>The admin endpoint port of each cluster (on 127.0.0.1).</summary>
    public required IReadOnlyList<int> AdminPorts { get; init; }

    public required byte[] Secret { get; init; }

    /// <summary>Where the secret came from ("decentral.remote.secret", "$VAR", or the built-in loopback secret).</summary>
    public required string SecretSource { get; init; }

    public VectorEncoding WireFormat { get; init; } = VectorEncoding.Float64;

    public int MaxFrameBytes { get; init; } = TcpTransportSettings.DefaultMaxFrameBytes;

    public int SendQueue { get; init; } = TcpTransportSettings.DefaultSendQueueCapacity;

    public TimeSpan ReconnectMinDelay { get; init; } = TcpTransportSettings.DefaultReconnectMinDelay;

    public TimeSpan ReconnectMaxDelay { get; init; } = TcpTransportSettings.DefaultReconnectMaxDelay;

    public TimeSpan ConnectTimeout { get; init; } = TcpTransportSettings.DefaultConnectTimeout;

    public TimeSpan HandshakeTimeout { get; init; } = TcpTransportSettings.DefaultHandshakeTimeout;

    public TimeSpan HeartbeatInterval { get; init; } = TcpTransportSettings.DefaultHeartbeatInterval;

    public TimeSpan IdleTimeout { get; init; } = TcpTransportSettings.DefaultIdleTimeout;

    /// <summary>Absolute directory of checkpoints, logs, pid and summary files.</summary>
    public required string StateDirectory { get; init; }

    public TimeSpan Linger { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Index of the cluster called <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Clusters.Count; i++)
        {
            if (string.Equals(Clusters[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public Uri AdminUri(int cluster) => new($"http://{AdminHost}:{AdminPorts[cluster]}/");

    public string LogFile(int cluster) => Path.Combine(StateDirectory, Clusters[cluster] + ".log");

    public string PidFile(int cluster) => Path.Combine(StateDirectory, Clusters[cluster] + ".pid");

    public string SummaryFile(int cluster) => Path.Combine(StateDirectory, Clusters[cluster] + ".summary.json");

    /// <summary>The transport settings of one process, with a fresh incarnation.</summary>
    public TcpTransportSettings Transport() => new()
    {
        Secret = Secret,
        MaxFrameBytes = MaxFrameBytes,
        SendQueueCapacity = SendQueue,
        ReconnectMinDelay = ReconnectMinDelay,
        ReconnectMaxDelay = ReconnectMaxDelay,
        ConnectTimeout = ConnectTimeout,
        HandshakeTimeout = HandshakeTimeout,
        HeartbeatInterval = HeartbeatInterval,
        IdleTimeout = IdleTimeout,
        AllowedPeers = new HashSet<Address>(Addresses),
    };
}
