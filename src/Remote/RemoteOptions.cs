using Akka.Actor;
using Decentral.Nodes.Wire;

namespace Decentral.Remote;

/// <summary>
/// Everything a multi-process deployment needs besides the run itself, from <c>decentral.remote</c>:
/// where each cluster's actor system listens (Akka.Remote over TCP) and serves its admin endpoint, the
/// wire format, Akka.Remote's connection and failure-detection timing, where state lives and how long a
/// finished node lingers.
/// </summary>
public sealed record RemoteOptions
{
    /// <summary>Admin endpoints listen here only: fault control must not be reachable from the network.</summary>
    public const string AdminHost = "127.0.0.1";

    /// <summary>Cluster names in cluster order.</summary>
    public required IReadOnlyList<string> Clusters { get; init; }

    /// <summary>
    /// The Akka address of each cluster's actor system, with the deployment's scheme
    /// (<see cref="RemoteRuntimes.Scheme"/>: akka.trttl.gremlin.ssl.tcp://decentral@host:port with TLS). Every
    /// system is named <see cref="RemoteRuntimes.SystemName"/> (Akka.Cluster joins only systems of one
    /// name); host and port tell the clusters apart, and each member's role is its cluster's name.
    /// </summary>
    public required IReadOnlyList<Address> Addresses { get; init; }

    /// <summary>TLS between the clusters' actor systems (<c>decentral.remote.tls</c>); null: plaintext, loopback only.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>The admin endpoint port of each cluster (on 127.0.0.1).</summary>
    public required IReadOnlyList<int> AdminPorts { get; init; }

    public VectorEncoding WireFormat { get; init; } = VectorEncoding.Float64;

    /// <summary>Akka.Remote's timing: connect timeout, gate after a failed connection, heartbeats.</summary>
    public RemoteTuning Tuning { get; init; } = RemoteTuning.Default;

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

    /// <summary>The cluster whose actor system listens at <paramref name="address"/> (host and port compared), or −1.</summary>
    public int IndexOf(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var i = 0; i < Addresses.Count; i++)
        {
            if (Addresses[i].Port == address.Port && string.Equals(Addresses[i].Host, address.Host, StringComparison.OrdinalIgnoreCase))
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
}

/// <summary>
/// How Akka.Remote connects and notices dead peers (<c>decentral.remote</c> keys in parentheses):
/// <paramref name="ConnectTimeout"/> bounds a TCP connect and the association handshake
/// (<c>connect-timeout</c> → <c>dot-netty.tcp.connection-timeout</c>); after a failed or lost
/// association, messages to that peer are dropped for <paramref name="ReconnectDelay"/> before the next
/// attempt (<c>reconnect-delay</c> → <c>akka.remote.retry-gate-closed-for</c>); every association carries
/// a heartbeat each <paramref name="HeartbeatInterval"/> and is closed as dead after
/// <paramref name="IdleTimeout"/> without one (<c>heartbeat-interval</c>, <c>idle-timeout</c> →
/// <c>transport-failure-detector</c>), then re-opened when there is something to send.
/// </summary>
public sealed record RemoteTuning(TimeSpan ConnectTimeout, TimeSpan ReconnectDelay, TimeSpan HeartbeatInterval, TimeSpan IdleTimeout)
{
    public static readonly RemoteTuning Default = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
}
