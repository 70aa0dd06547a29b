using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Decentral.Actors;

/// <summary>What a frame carries; each kind is legal only in one state of a connection.</summary>
internal enum FrameKind : byte
{
    /// <summary>Acceptor → dialer, first: the acceptor's address, incarnation and a fresh nonce (MAC'd with the public <see cref="FrameFormat.ChallengeKey"/>).</summary>
    Challenge = 1,

    /// <summary>Dialer → acceptor: who is calling whom, its incarnation, the challenge nonce echoed (MAC'd with the secret).</summary>
    Hello = 2,

    /// <summary>Acceptor → dialer: accepted; MAC'd with the session key, so it proves the acceptor knows the secret.</summary>
    Welcome = 3,

    /// <summary>Either direction, after the handshake: one envelope.</summary>
    Data = 4,

    /// <summary>Either direction, after the handshake, when nothing else was sent for a heartbeat interval: "still here" (empty payload).</summary>
    Heartbeat = 5,
}

/// <summary>The outcome of reading one frame; every value but Ok and Closed is a rejection that closes the connection.</summary>
internal enum FrameStatus
{
    Ok,
    Closed,
    Truncated,
    Oversized,
    Malformed,
    BadMac,
    Replayed,
    UnknownPeer,
    TimedOut,
}

/// <summary>
/// The wire layout of a frame: <c>length:u32 LE | kind:u8 | sequence:u64 LE | payload | HMAC-SHA256:32</c>,
/// where length counts everything after itself and the MAC covers kind, sequence and payload. The
/// sequence number starts at 0 in each direction of a connection and grows by one per frame, so a
/// replayed or reordered frame fails the check; the MAC key of data frames is a per-connection
/// session key, so frames of one connection are worthless on another.
/// </summary>
internal static class FrameFormat
{
    public const int LengthBytes = 4;
    public const int HeaderBytes = 1 + 8;
    public const int MacBytes = 32;

    /// <summary>The shortest legal frame body: header and MAC around an empty payload.</summary>
    public const int MinBodyBytes = HeaderBytes + MacBytes;

    /// <summary>Handshake frames are tiny; a peer that has not authenticated cannot make us buffer more.</summary>
    public const int MaxHandshakeBodyBytes = 2048;

    public const byte ProtocolVersion = 1;
    public const int NonceBytes = 16;

    /// <summary>
    /// Finds one whole frame at the start of <paramref name="buffer"/>. Ok: <paramref name="body"/> is
    /// the frame after its length prefix and <paramref name="next"/> where the following frame starts.
    /// Closed (not an error here) means "need more bytes". Oversized/Malformed reject the length prefix.
    /// </summary>
    public static FrameStatus TryParse(in ReadOnlySequence<byte> buffer, int maxBody, out ReadOnlySequence<byte> body, out SequencePosition next)
    {
        body = default;
        next = buffer.Start;
        if (buffer.Length < LengthBytes)
        {
            return FrameStatus.Closed;
        }

        Span<byte> prefix = stackalloc byte[LengthBytes];
        buffer.Slice(0, LengthBytes).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length > (uint)maxBody)
        {
            return FrameStatus.Oversized;
        }

        if (length < MinBodyBytes)
        {
            return FrameStatus.Malformed;
        }

        if (buffer.Length < LengthBytes + length)
        {
            return FrameStatus.Closed;
        }

        body = buffer.Slice(LengthBytes, length);
        next = body.End;
        return FrameStatus.Ok;
    }

    /// <summary>Checks the MAC of a frame body with <paramref name="mac"/> (keyed HMAC, reset after use).</summary>
    public static bool Verify(in ReadOnlySequence<byte> body, IncrementalHash mac)
    {
        var signed = body.Slice(0, body.Length - MacBytes);
        foreach (var segment in signed)
        {
            mac.AppendData(segment.Span);
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        Span<byte> actual = stackalloc byte[MacBytes];
        mac.GetHashAndReset(expected);
        body.Slice(body.Length - MacBytes).CopyTo(actual);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    public static (FrameKind Kind, ulong Sequence) ReadHeader(in ReadOnlySequence<byte> body)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        body.Slice(0, HeaderBytes).CopyTo(header);
        return ((FrameKind)header[0], BinaryPrimitives.ReadUInt64LittleEndian(header[1..]));
    }

    public static ReadOnlySequence<byte> Payload(in ReadOnlySequence<byte> body) =>
        body.Slice(HeaderBytes, body.Length - HeaderBytes - MacBytes);

    /// <summary>
    /// The MAC key of Challenge frames. Public on purpose: a challenge proves nothing (the acceptor proves
    /// it knows the secret with the Welcome, under the session key), so a caller with a wrong secret still
    /// sends its Hello and the acceptor, not only the caller, sees and counts the wrong secret.
    /// </summary>
    public static readonly byte[] ChallengeKey = "decentral/challenge/v1"u8.ToArray();

    /// <summary>The key of one connection's data frames, derived from the secret and both nonces.</summary>
    public static byte[] SessionKey(byte[] secret, ReadOnlySpan<byte> acceptorNonce, ReadOnlySpan<byte> dialerNonce)
    {
        Span<byte> input = stackalloc byte[SessionLabel.Length + (2 * NonceBytes)];
        SessionLabel.CopyTo(input);
        acceptorNonce.CopyTo(input[SessionLabel.Length..]);
        dialerNonce.CopyTo(input[(SessionLabel.Length + NonceBytes)..]);
        return HMACSHA256.HashData(secret, input);
    }

    private static ReadOnlySpan<byte> SessionLabel => "decentral/session/v1"u8;
}
