using System.Buffers;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Wire;

/// <summary>
/// The versioned binary format of the closed set of protocol messages (Akka.Remote carries it through
/// <see cref="ProtocolSerializer"/>):
/// <code>
/// type:u8 (1 model, 2 round) | version:u8 (1) | encoding:u8 (0 float64, 1 float32) | reserved:u8 (0)
/// iteration:i32 | round:i32 | sender:i32 | dimension:i32          (little-endian)
/// dimension × value (f64 or f32, little-endian)
/// </code>
/// Decoding checks, in this order, length, type, version, encoding, iteration, round, sender,
/// dimension (against the configured one), exact length and finiteness, before a message exists; a
/// failure throws <see cref="WireFormatException"/> with the reason and is counted per reason. Reads
/// both encodings; writes the configured one. Thread-safe.
/// </summary>
public sealed class ProtocolWireCodec
{
    public const byte CurrentVersion = 1;
    public const int HeaderBytes = 20;
    public const byte ModelType = 1;
    public const byte RoundType = 2;

    private readonly ProtocolWireOptions _options;
    private readonly long[] _rejections = new long[Enum.GetValues<WireRejection>().Length];

    public ProtocolWireCodec(ProtocolWireOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public ProtocolWireOptions Options => _options;

    /// <summary>Rejections so far, per reason (reasons never seen are absent).</summary>
    public IReadOnlyDictionary<WireRejection, long> Rejections
    {
        get
        {
            var result = new Dictionary<WireRejection, long>();
            foreach (var reason in Enum.GetValues<WireRejection>())
            {
                var count = Interlocked.Read(ref _rejections[(int)reason]);
                if (count > 0)
                {
                    result[reason] = count;
                }
            }

            return result;
        }
    }

    public long TotalRejections
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _rejections.Length; i++)
            {
                total += Interlocked.Read(ref _rejections[i]);
            }

            return total;
        }
    }

    /// <summary>Bytes of one encoded message of <paramref name="dimension"/> values.</summary>
    public static int EncodedLength(int dimension, VectorEncoding encoding) =>
        HeaderBytes + (dimension * (encoding == VectorEncoding.Float32 ? sizeof(float) : sizeof(double)));

    public void Serialize(object message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var m = AsProtocolMessage(message);
        var length = EncodedLength(m.Vector.Length, _options.Encoding);
        Write(m, output.GetSpan(length)[..length]);
        output.Advance(length);
    }

    /// <summary>The message in a new array of exactly its encoded length (what a byte[] serializer API returns).</summary>
    /// <exception cref="WireFormatException">Not a protocol message, or (float32) a value the format cannot hold.</exception>
    public byte[] Encode(object message)
    {
        var m = AsProtocolMessage(message);
        var bytes = GC.AllocateUninitializedArray<byte>(EncodedLength(m.Vector.Length, _options.Encoding));
        Write(m, bytes);
        return bytes;
    }

    private static ProtocolMessage AsProtocolMessage(object message) =>
        message as ProtocolMessage
        ?? throw new WireFormatException(WireRejection.UnsupportedMessage, $"{message?.GetType().Name ?? "null"} is not a protocol message.");

    private void Write(ProtocolMessage m, Span<byte> span)
    {
        var values = m.Vector;
        var encoding = _options.Encoding;
        span[0] = m is RoundMessage ? RoundType : ModelType;
        span[1] = CurrentVersion;
        span[2] = (byte)encoding;
        span[3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], m.Stage.Iteration);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], m.Stage.Round);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], m.Sender);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], values.Length);
        var body = span[HeaderBytes..];
        if (encoding == VectorEncoding.Float64)
        {
            WriteDoubles(values, body);
        }
        else
        {
            WriteSingles(values, body);
        }
    }

    /// <exception cref="WireFormatException">The bytes are not a valid message (the reason is counted).</exception>
    public object Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (TryDecode(bytes, out var message, out var reason, out var detail))
        {
            return message;
        }

        throw new WireFormatException(reason, detail);
    }

    /// <summary>Decodes without throwing: false with the reason and a sentence naming the offending value.</summary>
    public bool TryDecode(ReadOnlySpan<byte> bytes, out ProtocolMessage message, out WireRejection reason, out string detail)
    {
        message = null!;
        var error = Check(bytes, out reason, out var width);
        if (error is null)
        {
            var header = bytes[..HeaderBytes];
            var iteration = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            var round = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            var sender = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
            var values = new double[BinaryPrimitives.ReadInt32LittleEndian(header[16..])];
            var body = bytes[HeaderBytes..];
            if (width == sizeof(double))
            {
                ReadDoubles(body, values);
            }
            else
            {
                ReadSingles(body, values);
            }

            if (TensorPrimitives.IsFiniteAll<double>(values))
            {
                detail = string.Empty;
                message = header[0] == ModelType ? new ModelMessage(iteration, sender, values) : new RoundMessage(iteration, round, sender, values);
                return true;
            }

            reason = WireRejection.NonFinite;
            error = "the vector holds NaN or Infinity";
        }

        Interlocked.Increment(ref _rejections[(int)reason]);
        detail = "Rejected protocol message: " + error;
        return false;
    }

    /// <summary>Every check that needs no allocation; null when the header and length are valid.</summary>
    private string? Check(ReadOnlySpan<byte> bytes, out WireRejection reason, out int width)
    {
        width = 0;
        reason = WireRejection.TooShort;
        if (bytes.Length < HeaderBytes)
        {
            return $"{bytes.Length} bytes, the header alone has {HeaderBytes}";
        }

        var type = bytes[0];
        if (type is not (ModelType or RoundType))
        {
            reason = WireRejection.UnknownType;
            return $"unknown message type {type}";
        }

        if (bytes[1] != CurrentVersion)
        {
            reason = WireRejection.UnsupportedVersion;
            return $"format version {bytes[1]}, this build reads version {CurrentVersion}";
        }

        if (bytes[2] > (byte)VectorEncoding.Float32)
        {
            reason = WireRejection.UnknownEncoding;
            return $"unknown vector encoding {bytes[2]}";
        }

        if (bytes[3] != 0)
        {
            reason = WireRejection.ReservedNotZero;
            return $"reserved byte is {bytes[3]}, expected 0";
        }

        width = bytes[2] == (byte)VectorEncoding.Float32 ? sizeof(float) : sizeof(double);
        var iteration = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        var round = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        var sender = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        if (iteration < 1 || iteration > (_options.MaxIteration ?? int.MaxValue))
        {
            reason = WireRejection.BadIteration;
            return $"iteration {iteration} outside 1…{_options.MaxIteration?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "∞"}";
        }

        if (type == ModelType ? round != 0 : round < 1 || round > (_options.MaxRound ?? int.MaxValue))
        {
            reason = WireRejection.BadRound;
            return type == ModelType ? $"a model message with round {round}" : $"round {round} outside 1…{_options.MaxRound?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "∞"}";
        }

        if (sender < 0 || sender >= (_options.ProcessCount ?? int.MaxValue))
        {
            reason = WireRejection.BadSender;
            return $"sender {sender} outside 0…{(_options.ProcessCount - 1)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "∞"}";
        }

        if (dimension != _options.Dimension)
        {
            reason = WireRejection.DimensionMismatch;
            return $"dimension {dimension}, expected {_options.Dimension}";
        }

        var expected = HeaderBytes + ((long)dimension * width);
        if (bytes.Length != expected)
        {
            reason = WireRejection.LengthMismatch;
            return $"{bytes.Length} bytes, {dimension} values of {width} bytes need {expected}";
        }

        return null;
    }

    private static void WriteDoubles(ReadOnlySpan<double> values, Span<byte> body)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(body);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(body[(i * sizeof(double))..], values[i]);
        }
    }

    private static void WriteSingles(ReadOnlySpan<double> values, Span<byte> body)
    {
        var floats = ArrayPool<float>.Shared.Rent(values.Length);
        try
        {
            var span = floats.AsSpan(0, values.Length);
            TensorPrimitives.ConvertTruncating<double, float>(values, span);
            if (!TensorPrimitives.IsFiniteAll<float>(span))
            {
                throw new WireFormatException(WireRejection.NonFinite, "A value is NaN, infinite or too large for the float32 wire format.");
            }

            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.AsBytes(span).CopyTo(body);
                return;
            }

            for (var i = 0; i < span.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(body[(i * sizeof(float))..], span[i]);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    private static void ReadDoubles(ReadOnlySpan<byte> body, Span<double> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            body.CopyTo(MemoryMarshal.AsBytes(values));
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(body[(i * sizeof(double))..]);
        }
    }

    private static void ReadSingles(ReadOnlySpan<byte> body, Span<double> values)
    {
        var floats = ArrayPool<float>.Shared.Rent(values.Length);
        try
        {
            var span = floats.AsSpan(0, values.Length);
            if (BitConverter.IsLittleEndian)
            {
                body.CopyTo(MemoryMarshal.AsBytes(span));
            }
            else
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * sizeof(float))..]);
                }
            }

            TensorPrimitives.ConvertTruncating<float, double>(span, values);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
        }
    }
}
