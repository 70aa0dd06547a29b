using System.Buffers;

namespace Decentral.Actors;

/// <summary>Acceptor → dialer: the address the acceptor serves, its incarnation, a fresh nonce.</summary>
internal sealed record ChallengePayload(Address Acceptor, ulong Incarnation, byte[] Nonce)
{
    public void Write(IBufferWriter<byte> output)
    {
        PayloadWriter.WriteByte(output, FrameFormat.ProtocolVersion);
        PayloadWriter.WriteString(output, Acceptor.ToString());
        PayloadWriter.WriteUInt64(output, Incarnation);
        PayloadWriter.WriteBytes(output, Nonce);
    }

    public static ChallengePayload? Read(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        if (!r.TryReadByte(out var version) || version != FrameFormat.ProtocolVersion
            || !r.TryReadString(out var address) || !Address.TryParse(address, out var acceptor)
            || !r.TryReadUInt64(out var incarnation)
            || !r.TryReadBytes(FrameFormat.NonceBytes, out var nonce) || !r.AtEnd)
        {
            return null;
        }

        return new ChallengePayload(acceptor, incarnation, nonce.ToArray());
    }
}

/// <summary>
/// Dialer → acceptor: the calling system, the called one, the caller's incarnation, its own nonce and
/// the acceptor's nonce echoed (a recorded Hello cannot answer a new challenge).
/// </summary>
internal sealed record HelloPayload(Address From, Address To, ulong Incarnation, byte[] DialerNonce, byte[] EchoedNonce)
{
    public void Write(IBufferWriter<byte> output)
    {
        PayloadWriter.WriteByte(output, FrameFormat.ProtocolVersion);
        PayloadWriter.WriteString(output, From.ToString());
        PayloadWriter.WriteString(output, To.ToString());
        PayloadWriter.WriteUInt64(output, Incarnation);
        PayloadWriter.WriteBytes(output, DialerNonce);
        PayloadWriter.WriteBytes(output, EchoedNonce);
    }

    public static HelloPayload? Read(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        if (!r.TryReadByte(out var version) || version != FrameFormat.ProtocolVersion
            || !r.TryReadString(out var fromText) || !Address.TryParse(fromText, out var from)
            || !r.TryReadString(out var toText) || !Address.TryParse(toText, out var to)
            || !r.TryReadUInt64(out var incarnation)
            || !r.TryReadBytes(FrameFormat.NonceBytes, out var dialerNonce)
            || !r.TryReadBytes(FrameFormat.NonceBytes, out var echoed) || !r.AtEnd)
        {
            return null;
        }

        return new HelloPayload(from, to, incarnation, dialerNonce.ToArray(), echoed.ToArray());
    }
}

/// <summary>Acceptor → dialer: accepted, with the acceptor's incarnation (signed with the session key).</summary>
internal sealed record WelcomePayload(ulong Incarnation)
{
    public void Write(IBufferWriter<byte> output)
    {
        PayloadWriter.WriteByte(output, FrameFormat.ProtocolVersion);
        PayloadWriter.WriteUInt64(output, Incarnation);
    }

    public static WelcomePayload? Read(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        return r.TryReadByte(out var version) && version == FrameFormat.ProtocolVersion && r.TryReadUInt64(out var incarnation) && r.AtEnd
            ? new WelcomePayload(incarnation)
            : null;
    }
}
