using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>
/// A hand-driven TCP peer for bad-input tests: it writes frames byte by byte from the documented layout
/// (length, kind, sequence, payload, HMAC-SHA256), so it can also write what a correct transport never
/// would: garbage, wrong lengths, wrong MACs, replayed sequence numbers, stale nonces.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;

    private RawPeer(Socket socket) => _socket = socket;

    public static RawPeer Connect(Address address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)Timeout.TotalMilliseconds,
            SendTimeout = (int)Timeout.TotalMilliseconds,
        };
        socket.Connect(IPAddress.Parse(address.Host!), address.Port!.Value);
        return new RawPeer(socket);
    }

    /// <summary>Takes the next connection a transport dialed to <paramref name="listener"/>.</summary>
    public static RawPeer Accept(TcpListener listener)
    {
        var socket = listener.AcceptSocketAsync().WaitAsync(Timeout).GetAwaiter().GetResult();
        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        socket.SendTimeout = (int)Timeout.TotalMilliseconds;
        return new RawPeer(socket);
    }

    /// <summary>Runs the acceptor's side of the handshake as <paramref name="self"/>; returns the session key.</summary>
    public byte[] AcceptHandshake(Address self, ulong incarnation, byte[] secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(FrameFormat.NonceBytes);
        var challenge = new ArrayBufferWriter<byte>();
        new ChallengePayload(self, incarnation, nonce).Write(challenge);
        SendFrame((byte)FrameKind.Challenge, 0, challenge.WrittenSpan, FrameFormat.ChallengeKey);
        var helloFrame = ReadFrame(secret) ?? throw new InvalidOperationException("no hello");
        Assert.Equal((byte)FrameKind.Hello, helloFrame.Kind);
        var hello = HelloPayload.Read(helloFrame.Payload)!;
        Assert.Equal(self, hello.To);
        var session = SessionKey(secret, nonce, hello.DialerNonce);
        var welcome = new ArrayBufferWriter<byte>();
        new WelcomePayload(incarnation).Write(welcome);
        SendFrame((byte)FrameKind.Welcome, 1, welcome.WrittenSpan, session);
        return session;
    }

    /// <summary>The next data frame's message (heartbeats skipped), decoded as <paramref name="self"/> would; null when the peer closed.</summary>
    public object? ReadMessage(byte[] session, Address self, Address peer)
    {
        while (ReadFrame(session) is { } frame)
        {
            if (frame.Kind == (byte)FrameKind.Heartbeat)
            {
                continue;
            }

            Assert.Equal((byte)FrameKind.Data, frame.Kind);
            var envelope = EnvelopeFormat.Read(frame.Payload, self, peer, TestSerializer.Instance, new PathCache(), out var error);
            Assert.True(envelope is not null, error);
            return envelope.Message;
        }

        return null;
    }

    public void SendBytes(ReadOnlySpan<byte> bytes) => _socket.Send(bytes);

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public void SendFrame(byte kind, ulong sequence, ReadOnlySpan<byte> payload, byte[] key)
    {
        var body = new byte[9 + payload.Length + 32];
        body[0] = kind;
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(1), sequence);
        payload.CopyTo(body.AsSpan(9));
        HMACSHA256.HashData(key, body.AsSpan(0, 9 + payload.Length), body.AsSpan(9 + payload.Length));
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)body.Length);
        body.CopyTo(frame.AsSpan(4));
        _socket.Send(frame);
    }

    /// <summary>The next frame, its MAC checked with <paramref name="key"/>; null when the peer closed.</summary>
    public (byte Kind, ulong Sequence, byte[] Payload)? ReadFrame(byte[] key)
    {
        var prefix = new byte[4];
        if (!ReadExactly(prefix))
        {
            return null;
        }

        var body = new byte[BinaryPrimitives.ReadUInt32LittleEndian(prefix)];
        if (!ReadExactly(body))
        {
            return null;
        }

        var mac = HMACSHA256.HashData(key, body.AsSpan(0, body.Length - 32));
        Assert.True(mac.AsSpan().SequenceEqual(body.AsSpan(body.Length - 32)), "the transport's frame MAC does not verify");
        return (body[0], BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(1)), body[9..^32]);
    }

    /// <summary>True when the other side closed (end of stream or reset) within the timeout.</summary>
    public bool WaitClosed()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (_socket.Receive(buffer) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>
    /// Runs the dialer's side of the handshake as the transport would, with knobs to do it wrong.
    /// Returns the session key, or null when the acceptor closed instead of welcoming us.
    /// </summary>
    public byte[]? Handshake(Address from, Address to, ulong incarnation, byte[] secret, byte[]? echoNonce = null)
    {
        var challengeFrame = ReadFrame(FrameFormat.ChallengeKey) ?? throw new InvalidOperationException("no challenge");
        Assert.Equal((byte)FrameKind.Challenge, challengeFrame.Kind);
        Assert.Equal(0UL, challengeFrame.Sequence);
        var challenge = ChallengePayload.Read(challengeFrame.Payload)!;
        Assert.Equal(to, challenge.Acceptor);
        var nonce = RandomNumberGenerator.GetBytes(FrameFormat.NonceBytes);
        var hello = new ArrayBufferWriter<byte>();
        new HelloPayload(from, to, incarnation, nonce, echoNonce ?? challenge.Nonce).Write(hello);
        SendFrame((byte)FrameKind.Hello, 0, hello.WrittenSpan, secret);
        var session = SessionKey(secret, challenge.Nonce, nonce);
        try
        {
            var welcome = ReadFrame(session);
            if (welcome is null)
            {
                return null;
            }

            Assert.Equal((byte)FrameKind.Welcome, welcome.Value.Kind);
            Assert.Equal(1UL, welcome.Value.Sequence);
            return session;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>A data frame's payload: flags, recipient elements, no sender, then the message bytes.</summary>
    public static byte[] DataPayload(ActorPath recipient, object message)
    {
        var output = new ArrayBufferWriter<byte>();
        PayloadWriter.WriteByte(output, 0);
        PayloadWriter.WriteString(output, string.Join('/', recipient.Elements));
        TestSerializer.Instance.Serialize(message, output);
        return output.WrittenSpan.ToArray();
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The documented session key: HMAC-SHA256(secret, "decentral/session/v1" ‖ acceptor nonce ‖ dialer nonce).</summary>
    private static byte[] SessionKey(byte[] secret, byte[] acceptorNonce, byte[] dialerNonce)
    {
        byte[] label = [.. "decentral/session/v1"u8, .. acceptorNonce, .. dialerNonce];
        return HMACSHA256.HashData(secret, label);
    }

    private bool ReadExactly(Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer[read..]);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
