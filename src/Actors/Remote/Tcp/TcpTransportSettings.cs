using System.Security.Cryptography;

namespace Decentral.Actors;

/// <summary>
/// Settings of a <see cref="TcpTransport"/>. Every queue and frame is bounded by a named limit; the
/// secret authenticates both ends of every connection and every frame (HMAC-SHA256).
/// </summary>
public sealed record TcpTransportSettings
{
    /// <summary>Largest frame accepted or sent by default: 16 MiB holds a 10⁶-dimensional float64 model with room to spare.</summary>
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>The smallest maximum frame size a transport accepts (handshakes and small messages must fit).</summary>
    public const int MinMaxFrameBytes = 1024;

    /// <summary>The largest maximum frame size: the length prefix is a signed 32-bit count.</summary>
    public const int MaxMaxFrameBytes = 1 << 30;

    public const int DefaultSendQueueCapacity = 256;

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultReconnectMinDelay = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan DefaultReconnectMaxDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The shared secret (at least one byte) every process of the deployment knows.</summary>
    public required byte[] Secret { get; init; }

    /// <summary>Frames longer than this (after the 4-byte length prefix) close the connection; larger messages are not sent.</summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>Messages waiting per link to a peer; when full, the oldest is dropped (and counted).</summary>
    public int SendQueueCapacity { get; init; } = DefaultSendQueueCapacity;

    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>How long an accepted connection may take to authenticate before it is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>First reconnection delay; it doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = DefaultReconnectMinDelay;

    public TimeSpan ReconnectMaxDelay { get; init; } = DefaultReconnectMaxDelay;

    /// <summary>A connection on which nothing was written for this long gets a heartbeat frame.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = DefaultHeartbeatInterval;

    /// <summary>
    /// A connection on which nothing (not even a heartbeat) arrived for this long is closed as dead: a
    /// peer that vanished without closing its socket (power loss, a cable pulled) is noticed. At least
    /// twice <see cref="HeartbeatInterval"/>.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>Random per process start: peers tell a restarted process from a replay of the old one.</summary>
    public ulong Incarnation { get; init; } = NewIncarnation();

    /// <summary>Peers allowed to connect; null = any peer that knows the secret.</summary>
    public IReadOnlySet<Address>? AllowedPeers { get; init; }

    /// <summary>Accepted connections kept open at once; more are closed at once and counted.</summary>
    public int MaxInboundConnections { get; init; } = 1024;

    /// <summary>A secret from text (UTF-8), for configuration files and environment variables.</summary>
    public static byte[] SecretFromText(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return System.Text.Encoding.UTF8.GetBytes(secret);
    }

    public static ulong NewIncarnation()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var value = BitConverter.ToUInt64(bytes);
        return value == 0 ? 1 : value;
    }

    public void Validate()
    {
        if (Secret is null || Secret.Length == 0)
        {
            throw new ArgumentException("The TCP transport needs a non-empty shared secret.", nameof(Secret));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, MinMaxFrameBytes, nameof(MaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxFrameBytes, MaxMaxFrameBytes, nameof(MaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendQueueCapacity, 1, nameof(SendQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMinDelay, TimeSpan.Zero, nameof(ReconnectMinDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxDelay, ReconnectMinDelay, nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInboundConnections, 1, nameof(MaxInboundConnections));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        if (IdleTimeout < 2 * HeartbeatInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), $"The idle timeout ({IdleTimeout}) must be at least twice the heartbeat interval ({HeartbeatInterval}).");
        }
        if (Incarnation == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Incarnation), "An incarnation is a non-zero random number.");
        }
    }
}
