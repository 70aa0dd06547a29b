using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Decentral.Actors;

/// <summary>One frame read from a connection; <see cref="Payload"/> stays valid until the next read.</summary>
internal readonly record struct Frame(FrameStatus Status, FrameKind Kind, ReadOnlySequence<byte> Payload);

/// <summary>
/// A TCP connection that speaks frames (<see cref="FrameFormat"/>): reads them through a
/// <see cref="PipeReader"/> (whole frames only, length checked before buffering, MAC and sequence
/// checked before the payload is seen), and writes them into a buffer flushed in one write, so a burst
/// of small messages costs one system call. One reader and one writer at a time; either may run while
/// another thread disposes the connection (the buffers are released by whichever finishes last).
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PooledBufferWriter _output = new();
    private readonly TcpCounterSet _counters;
    private IncrementalHash _sendMac;
    private IncrementalHash _receiveMac;
    private SequencePosition? _consumed;
    private ulong _nextSend;
    private ulong _nextReceive;
    private int _frameStart = -1;
    private volatile bool _disposed;
    private int _reading;
    private int _readerDone;
    private int _writing;
    private int _writerDone;

    /// <param name="sendKey">MAC key of the frames this side writes until <see cref="UseKeys"/>.</param>
    /// <param name="receiveKey">MAC key the frames read are checked with until <see cref="UseKeys"/>.</param>
    public FrameConnection(Socket socket, byte[] sendKey, byte[] receiveKey, TcpCounterSet counters)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.NoDelay = true;
        RemoteEndPoint = socket.RemoteEndPoint;
        _counters = counters;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        _sendMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, sendKey);
        _receiveMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, receiveKey);
    }

    public EndPoint? RemoteEndPoint { get; }

    public bool IsDisposed => _disposed;

    /// <summary>Bytes of whole frames written but not yet flushed.</summary>
    public int PendingBytes => _output.WrittenCount;

    /// <summary>From now on frames are signed with <paramref name="sendKey"/> and checked with <paramref name="receiveKey"/>.</summary>
    public void UseKeys(byte[] sendKey, byte[] receiveKey)
    {
        _sendMac.Dispose();
        _receiveMac.Dispose();
        _sendMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, sendKey);
        _receiveMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, receiveKey);
    }

    /// <summary>Both directions use the connection's session key (after the handshake).</summary>
    public void UseSessionKey(byte[] sessionKey) => UseKeys(sessionKey, sessionKey);

    /// <summary>
    /// Reads the next frame of at most <paramref name="maxBody"/> bytes. Ok, or Closed (clean end of
    /// stream, reset, or disposed), or the rejection that should close the connection.
    /// </summary>
    public async ValueTask<Frame> ReadAsync(int maxBody, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _reading, 1);
        try
        {
            if (_consumed is { } consumed)
            {
                _consumed = null;
                _reader.AdvanceTo(consumed);
            }

            while (true)
            {
                ReadResult result;
                try
                {
                    result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    return new Frame(FrameStatus.Closed, 0, default);
                }

                var buffer = result.Buffer;
                var status = FrameFormat.TryParse(buffer, maxBody, out var body, out var next);
                if (status == FrameStatus.Ok)
                {
                    return Accept(buffer, body, next);
                }

                if (status != FrameStatus.Closed)
                {
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    return new Frame(status, 0, default);
                }

                if (result.IsCompleted)
                {
                    _reader.AdvanceTo(buffer.End);
                    return new Frame(buffer.IsEmpty ? FrameStatus.Closed : FrameStatus.Truncated, 0, default);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
            if (_disposed)
            {
                CompleteReader();
            }
        }
    }

    /// <summary>
    /// Starts writing: false if the connection is already disposed. Frames are begun, ended and flushed
    /// only between this and <see cref="EndWrite"/>, so a concurrent <see cref="Dispose"/> never frees
    /// the buffer under the writer.
    /// </summary>
    public bool TryBeginWrite()
    {
        Interlocked.Exchange(ref _writing, 1);
        if (_disposed)
        {
            EndWrite();
            return false;
        }

        return true;
    }

    public void EndWrite()
    {
        Interlocked.Exchange(ref _writing, 0);
        if (_disposed)
        {
            CompleteWriter();
        }
    }

    /// <summary>Starts a frame; write its payload into the returned buffer, then call <see cref="EndFrame"/>.</summary>
    public IBufferWriter<byte> BeginFrame(FrameKind kind)
    {
        _frameStart = _output.WrittenCount;
        var header = _output.GetSpan(FrameFormat.LengthBytes + FrameFormat.HeaderBytes);
        header[FrameFormat.LengthBytes] = (byte)kind;
        BinaryPrimitives.WriteUInt64LittleEndian(header[(FrameFormat.LengthBytes + 1)..], _nextSend);
        _output.Advance(FrameFormat.LengthBytes + FrameFormat.HeaderBytes);
        return _output;
    }

    /// <summary>Signs the frame begun last. False (and the frame discarded) when it exceeds <paramref name="maxBody"/>.</summary>
    public bool EndFrame(int maxBody)
    {
        var start = _frameStart;
        _frameStart = -1;
        var body = (long)_output.WrittenCount - start - FrameFormat.LengthBytes + FrameFormat.MacBytes;
        if (body > maxBody)
        {
            _output.Truncate(start);
            return false;
        }

        _sendMac.AppendData(_output.WrittenSpan[(start + FrameFormat.LengthBytes)..]);
        _sendMac.GetHashAndReset(_output.GetSpan(FrameFormat.MacBytes)[..FrameFormat.MacBytes]);
        _output.Advance(FrameFormat.MacBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(_output.WrittenSpan[start..], (uint)body);
        _nextSend++;
        Interlocked.Increment(ref _counters.FramesSent);
        return true;
    }

    /// <summary>Discards the frame begun last (its payload could not be written).</summary>
    public void AbortFrame()
    {
        if (_frameStart >= 0)
        {
            _output.Truncate(_frameStart);
            _frameStart = -1;
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.WrittenCount == 0)
        {
            return;
        }

        await _stream.WriteAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _counters.BytesSent, _output.WrittenCount);
        _output.Clear();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Interlocked.MemoryBarrier();
        _stream.Dispose();
        if (Volatile.Read(ref _writing) == 0)
        {
            CompleteWriter();
        }

        if (Volatile.Read(ref _reading) == 0)
        {
            CompleteReader();
        }
    }

    private Frame Accept(in ReadOnlySequence<byte> buffer, in ReadOnlySequence<byte> body, SequencePosition next)
    {
        bool valid;
        try
        {
            valid = FrameFormat.Verify(body, _receiveMac);
        }
        catch (ObjectDisposedException)
        {
            return new Frame(FrameStatus.Closed, 0, default);
        }

        if (!valid)
        {
            _reader.AdvanceTo(buffer.Start, buffer.End);
            return new Frame(FrameStatus.BadMac, 0, default);
        }

        var (kind, sequence) = FrameFormat.ReadHeader(body);
        if (sequence != _nextReceive)
        {
            _reader.AdvanceTo(buffer.Start, buffer.End);
            return new Frame(FrameStatus.Replayed, kind, default);
        }

        _nextReceive++;
        Interlocked.Increment(ref _counters.FramesReceived);
        Interlocked.Add(ref _counters.BytesReceived, FrameFormat.LengthBytes + body.Length);
        _consumed = next;
        return new Frame(FrameStatus.Ok, kind, FrameFormat.Payload(body));
    }

    private void CompleteWriter()
    {
        if (Interlocked.Exchange(ref _writerDone, 1) == 0)
        {
            _sendMac.Dispose();
            _output.Dispose();
        }
    }

    private void CompleteReader()
    {
        if (Interlocked.Exchange(ref _readerDone, 1) == 0)
        {
            _reader.Complete();
            _receiveMac.Dispose();
        }
    }
}
