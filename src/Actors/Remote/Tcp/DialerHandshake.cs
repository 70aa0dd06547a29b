using System.Buffers;
using System.Security.Cryptography;

namespace Decentral.Actors;

/// <summary>The dialer's half of the handshake (<see cref="ChallengePayload"/>, <see cref="HelloPayload"/>, <see cref="WelcomePayload"/>).</summary>
internal static class DialerHandshake
{
    /// <summary>Answers the acceptor's challenge as <paramref name="local"/>: (null, the peer's incarnation) on success, else why it failed (the rejection is counted).</summary>
    public static async Task<(string? Failure, ulong Incarnation)> RunAsync(
        FrameConnection connection, Address local, Address remote, TcpTransportSettings settings, TcpCounterSet counters, CancellationToken token)
    {
        var frame = await connection.ReadAsync(FrameFormat.MaxHandshakeBodyBytes, token).ConfigureAwait(false);
        if (frame.Status != FrameStatus.Ok || frame.Kind != FrameKind.Challenge)
        {
            var status = frame.Status == FrameStatus.Ok ? FrameStatus.Malformed : frame.Status;
            counters.CountRejection(status);
            return ($"bad challenge ({status})", 0);
        }

        var challenge = ChallengePayload.Read(frame.Payload.ToArray());
        if (challenge is null)
        {
            counters.CountRejection(FrameStatus.Malformed);
            return ("malformed challenge", 0);
        }

        if (challenge.Acceptor != remote)
        {
            counters.CountRejection(FrameStatus.UnknownPeer);
            return ($"the peer at {remote.Host}:{remote.Port} is {challenge.Acceptor}, not {remote}", 0);
        }

        var nonce = RandomNumberGenerator.GetBytes(FrameFormat.NonceBytes);
        new HelloPayload(local, remote, settings.Incarnation, nonce, challenge.Nonce).Write(connection.BeginFrame(FrameKind.Hello));
        connection.EndFrame(FrameFormat.MaxHandshakeBodyBytes);
        await connection.FlushAsync(token).ConfigureAwait(false);
        connection.UseSessionKey(FrameFormat.SessionKey(settings.Secret, challenge.Nonce, nonce));

        frame = await connection.ReadAsync(FrameFormat.MaxHandshakeBodyBytes, token).ConfigureAwait(false);
        if (frame.Status == FrameStatus.Closed)
        {
            return ("the peer closed the connection during the handshake: it rejected us (different secrets? see its log)", 0);
        }

        WelcomePayload? welcome = null;
        if (frame.Status == FrameStatus.Ok && frame.Kind == FrameKind.Welcome)
        {
            welcome = WelcomePayload.Read(frame.Payload.ToArray());
        }

        if (welcome is null || welcome.Incarnation != challenge.Incarnation)
        {
            counters.CountRejection(frame.Status == FrameStatus.Ok ? FrameStatus.Malformed : frame.Status);
            return ($"bad welcome ({frame.Status})", 0);
        }

        return (null, welcome.Incarnation);
    }
}
