using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>A message that supersedes queued ones of the same key with a smaller or equal order.</summary>
internal sealed record Versioned(long Key, long Order, string Text) : ISupersedable
{
    long ISupersedable.SupersedeKey => Key;

    long ISupersedable.SupersedeOrder => Order;
}

/// <summary>The messages transport tests send: ints, strings and <see cref="Versioned"/>; anything else fails to serialize.</summary>
internal sealed class TestSerializer : IMessageSerializer
{
    private const byte IntTag = 1;
    private const byte StringTag = 2;
    private const byte VersionedTag = 3;

    public static TestSerializer Instance { get; } = new();

    public void Serialize(object message, IBufferWriter<byte> output)
    {
        switch (message)
        {
            case int i:
                var span = output.GetSpan(5);
                span[0] = IntTag;
                BinaryPrimitives.WriteInt32LittleEndian(span[1..], i);
                output.Advance(5);
                break;
            case string s:
                WriteTagged(output, StringTag, s);
                break;
            case Versioned v:
                var head = output.GetSpan(17);
                head[0] = VersionedTag;
                BinaryPrimitives.WriteInt64LittleEndian(head[1..], v.Key);
                BinaryPrimitives.WriteInt64LittleEndian(head[9..], v.Order);
                output.Advance(17);
                var text = Encoding.UTF8.GetBytes(v.Text);
                text.CopyTo(output.GetSpan(text.Length));
                output.Advance(text.Length);
                break;
            default:
                throw new NotSupportedException($"The test serializer cannot write {message.GetType().Name}.");
        }
    }

    public object Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new FormatException("empty message");
        }

        return bytes[0] switch
        {
            IntTag when bytes.Length == 5 => BinaryPrimitives.ReadInt32LittleEndian(bytes[1..]),
            StringTag => Encoding.UTF8.GetString(bytes[1..]),
            VersionedTag when bytes.Length >= 17 => new Versioned(
                BinaryPrimitives.ReadInt64LittleEndian(bytes[1..]), BinaryPrimitives.ReadInt64LittleEndian(bytes[9..]), Encoding.UTF8.GetString(bytes[17..])),
            _ => throw new FormatException($"unknown test message tag {bytes[0]} or wrong length {bytes.Length}"),
        };
    }

    private static void WriteTagged(IBufferWriter<byte> output, byte tag, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var span = output.GetSpan(1 + bytes.Length);
        span[0] = tag;
        bytes.CopyTo(span[1..]);
        output.Advance(1 + bytes.Length);
    }
}
