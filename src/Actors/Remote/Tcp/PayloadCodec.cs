using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Decentral.Actors;

/// <summary>Reads the fields of a frame payload; every read says whether the bytes were there (no exceptions on bad input).</summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    /// <summary>Names and paths on the wire are short; a longer length is garbage.</summary>
    public const int MaxStringBytes = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private ReadOnlySpan<byte> _rest = payload;

    public readonly ReadOnlySpan<byte> Rest => _rest;

    public readonly bool AtEnd => _rest.IsEmpty;

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (_rest.IsEmpty)
        {
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (_rest.Length < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_rest);
        _rest = _rest[8..];
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (_rest.Length < count)
        {
            return false;
        }

        value = _rest[..count];
        _rest = _rest[count..];
        return true;
    }

    /// <summary>A u16 length and that many bytes of valid UTF-8.</summary>
    public bool TryReadString(out string value)
    {
        value = string.Empty;
        if (_rest.Length < 2)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length > MaxStringBytes || _rest.Length < 2 + length)
        {
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(_rest.Slice(2, length));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        _rest = _rest[(2 + length)..];
        return true;
    }
}

/// <summary>Writes the fields <see cref="PayloadReader"/> reads.</summary>
internal static class PayloadWriter
{
    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteUInt64(IBufferWriter<byte> output, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > PayloadReader.MaxStringBytes)
        {
            throw new ArgumentException($"'{value[..Math.Min(40, value.Length)]}…' is longer than {PayloadReader.MaxStringBytes} bytes.", nameof(value));
        }

        var span = output.GetSpan(2 + length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
        Encoding.UTF8.GetBytes(value, span[2..]);
        output.Advance(2 + length);
    }
}
