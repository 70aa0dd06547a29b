using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Decentral.Nodes.Checkpoints;

/// <summary>
/// The binary form of a <see cref="Checkpoint"/>, shared by every store. Little-endian:
/// <code>
///  0  "DCKP"            magic
///  4  u16 version        = FormatVersion
///  6  u16 reserved       = 0
///  8  u32 total length   of the whole record, checksum included (detects torn writes)
/// 12  i64 incarnation, i64 iteration, i64 round
/// 36  i64 written-at UTC ticks, i16 offset minutes
/// 46  u16 node-name length, UTF-8 bytes
///     i32 dimension, dimension × f64 model
///     u16 optimizer-name length, UTF-8 bytes          (version 2 on)
///     i32 optimizer-state length, length × f64 state  (version 2 on)
///     i32 state length, state bytes
///     32 bytes SHA-256 of everything before it
/// </code>
/// Decoding checks, in order: magic, version, length, checksum, then every field's bounds and
/// finiteness — a record that decodes is exactly the record that was encoded. Version 1 records (before
/// local optimizers) still decode, with no optimizer state; records are written as version 2.
/// </summary>
public static class CheckpointCodec
{
    public const ushort FormatVersion = 2;

    /// <summary>The oldest version this build reads.</summary>
    public const ushort OldestReadableVersion = 1;

    private const int HeaderBytes = 48;
    private const int ChecksumBytes = 32;
    private static ReadOnlySpan<byte> Magic => "DCKP"u8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var name = StrictUtf8.GetBytes(checkpoint.Node);
        var model = checkpoint.Model.Span;
        var state = checkpoint.ProtocolState.Span;
        var optimizer = StrictUtf8.GetBytes(checkpoint.Optimizer);
        var optimizerState = checkpoint.OptimizerState.Span;
        var total = (long)HeaderBytes + name.Length + 4 + (8L * model.Length) + 2 + optimizer.Length + 4 + (8L * optimizerState.Length) + 4 + state.Length + ChecksumBytes;
        var bytes = new byte[total];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)total);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], checkpoint.Incarnation);
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], checkpoint.Iteration);
        BinaryPrimitives.WriteInt64LittleEndian(span[28..], checkpoint.Round);
        BinaryPrimitives.WriteInt64LittleEndian(span[36..], checkpoint.WrittenAt.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(span[44..], (short)checkpoint.WrittenAt.TotalOffsetMinutes);
        BinaryPrimitives.WriteUInt16LittleEndian(span[46..], (ushort)name.Length);
        var at = HeaderBytes;
        name.CopyTo(span[at..]);
        at += name.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], model.Length);
        at += 4;
        foreach (var v in model)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], v);
            at += 8;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)optimizer.Length);
        at += 2;
        optimizer.CopyTo(span[at..]);
        at += optimizer.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], optimizerState.Length);
        at += 4;
        foreach (var v in optimizerState)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], v);
            at += 8;
        }
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], state.Length);
        at += 4;
        state.CopyTo(span[at..]);
        at += state.Length;
        SHA256.HashData(span[..at], span[at..]);
        return bytes;
    }

    /// <summary>Decodes and verifies a record; throws <see cref="CheckpointFormatException"/> saying what is wrong.</summary>
    public static Checkpoint Decode(ReadOnlySpan<byte> bytes) =>
        TryDecode(bytes, out var checkpoint, out var problem) ? checkpoint : throw new CheckpointFormatException(problem);

    /// <summary>Decodes and verifies a record; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Checkpoint? checkpoint, out string problem)
    {
        checkpoint = null;
        if (bytes.Length < 12)
        {
            problem = $"truncated record ({bytes.Length} bytes, not even a header)";
            return false;
        }
        if (!bytes[..4].SequenceEqual(Magic))
        {
            problem = "not a checkpoint record (bad magic)";
            return false;
        }
        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version < OldestReadableVersion || version > FormatVersion)
        {
            problem = $"checkpoint format version {version} is not supported (this build reads versions {OldestReadableVersion} to {FormatVersion})";
            return false;
        }
        var total = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (bytes.Length < total)
        {
            problem = $"torn write ({bytes.Length} of {total} bytes present)";
            return false;
        }
        if (bytes.Length > total)
        {
            problem = $"{bytes.Length - total} unexpected bytes after the record";
            return false;
        }
        if (total < HeaderBytes + 8 + ChecksumBytes)
        {
            problem = $"record length {total} is shorter than the smallest record";
            return false;
        }
        Span<byte> hash = stackalloc byte[ChecksumBytes];
        SHA256.HashData(bytes[..^ChecksumBytes], hash);
        if (!hash.SequenceEqual(bytes[^ChecksumBytes..]))
        {
            problem = "checksum mismatch";
            return false;
        }
        return TryReadFields(bytes[..^ChecksumBytes], version, out checkpoint, out problem);
    }

    private static bool TryReadFields(ReadOnlySpan<byte> body, ushort version, out Checkpoint? checkpoint, out string problem)
    {
        checkpoint = null;
        var incarnation = BinaryPrimitives.ReadInt64LittleEndian(body[12..]);
        var iteration = BinaryPrimitives.ReadInt64LittleEndian(body[20..]);
        var round = BinaryPrimitives.ReadInt64LittleEndian(body[28..]);
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(body[36..]);
        var offsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(body[44..]);
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body[46..]);
        var at = HeaderBytes;
        if (nameLength > Checkpoint.MaxNodeNameBytes || body.Length - at < nameLength + 4)
        {
            problem = $"bad node-name length {nameLength}";
            return false;
        }
        string node;
        try
        {
            node = StrictUtf8.GetString(body.Slice(at, nameLength));
        }
        catch (DecoderFallbackException)
        {
            problem = "node name is not valid UTF-8";
            return false;
        }
        at += nameLength;
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
        at += 4;
        if (dimension < 1 || dimension > Checkpoint.MaxDimension || (body.Length - at - 4) / 8 < dimension)
        {
            problem = $"bad model dimension {dimension}";
            return false;
        }
        var model = new double[dimension];
        for (var j = 0; j < dimension; j++, at += 8)
        {
            model[j] = BinaryPrimitives.ReadDoubleLittleEndian(body[at..]);
            if (!double.IsFinite(model[j]))
            {
                problem = $"model coordinate {j} is not finite";
                return false;
            }
        }
        var optimizer = "";
        double[] optimizerState = [];
        if (version >= 2 && !TryReadOptimizer(body, ref at, out optimizer, out optimizerState, out problem))
        {
            return false;
        }
        if (body.Length - at < 4)
        {
            problem = "truncated before the protocol state";
            return false;
        }
        var stateLength = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
        at += 4;
        if (stateLength < 0 || stateLength > Checkpoint.MaxProtocolStateBytes || stateLength != body.Length - at)
        {
            problem = $"bad protocol-state length {stateLength}";
            return false;
        }
        if (incarnation < 0 || iteration < 0 || round < 0 || string.IsNullOrWhiteSpace(node)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || Math.Abs((int)offsetMinutes) > 14 * 60)
        {
            problem = "a header field is out of range";
            return false;
        }
        DateTimeOffset writtenAt;
        try
        {
            writtenAt = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentOutOfRangeException)
        {
            problem = "the write time is out of range";
            return false;
        }
        checkpoint = new Checkpoint(node, incarnation, iteration, round, model, body[at..], writtenAt, optimizer, optimizerState);
        problem = "";
        return true;
    }

    /// <summary>The optimizer section of a version-2 record: its name, then its state (bounded, finite).</summary>
    private static bool TryReadOptimizer(ReadOnlySpan<byte> body, ref int at, out string optimizer, out double[] state, out string problem)
    {
        optimizer = "";
        state = [];
        if (body.Length - at < 2)
        {
            problem = "truncated before the optimizer's name";
            return false;
        }
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body[at..]);
        at += 2;
        if (nameLength > Checkpoint.MaxOptimizerNameBytes || body.Length - at < nameLength + 4)
        {
            problem = $"bad optimizer-name length {nameLength}";
            return false;
        }
        try
        {
            optimizer = StrictUtf8.GetString(body.Slice(at, nameLength));
        }
        catch (DecoderFallbackException)
        {
            problem = "the optimizer's name is not valid UTF-8";
            return false;
        }
        at += nameLength;
        var length = BinaryPrimitives.ReadInt32LittleEndian(body[at..]);
        at += 4;
        if (length < 0 || length > Checkpoint.MaxOptimizerState || (body.Length - at) / 8 < length || (length > 0 && nameLength == 0))
        {
            problem = $"bad optimizer-state length {length}";
            return false;
        }
        state = new double[length];
        for (var j = 0; j < length; j++, at += 8)
        {
            state[j] = BinaryPrimitives.ReadDoubleLittleEndian(body[at..]);
            if (!double.IsFinite(state[j]))
            {
                problem = $"optimizer state value {j} is not finite";
                return false;
            }
        }
        problem = "";
        return true;
    }
}
