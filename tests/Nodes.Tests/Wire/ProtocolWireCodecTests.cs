using System.Buffers;
using System.Buffers.Binary;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Wire;

namespace Decentral.Nodes.Tests.Wire;

/// <summary>The binary format of protocol messages: exact round trips, the documented layout, and every malformed input rejected with its reason.</summary>
public sealed class ProtocolWireCodecTests
{
    private const int Dimension = 5;

    private static ProtocolWireCodec Codec(VectorEncoding encoding = VectorEncoding.Float64) => new(new ProtocolWireOptions
    {
        Dimension = Dimension,
        Encoding = encoding,
        ProcessCount = 9,
        MaxIteration = 100,
        MaxRound = 4,
    });

    private static byte[] Encode(ProtocolWireCodec codec, object message)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.Serialize(message, output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Valid() => Encode(Codec(), new RoundMessage(7, 2, 3, [1, 2, 3, 4, 5]));

    [Fact]
    public void Float64_round_trip_is_bit_exact_for_awkward_values()
    {
        double[] values = [double.MaxValue, double.Epsilon, -0.0, 1.0 / 3.0, -123456.789e-300];
        var codec = Codec();

        var model = Assert.IsType<ModelMessage>(codec.Deserialize(Encode(codec, new ModelMessage(1, 0, values))));

        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), model.Vector.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal((1, 0, 0), (model.Iteration, model.Stage.Round, model.Sender));
    }

    [Fact]
    public void Seeded_random_messages_round_trip_exactly_in_float64()
    {
        const int seed = 42;
        var random = new Random(seed);
        var codec = Codec();
        for (var i = 0; i < 500; i++)
        {
            var vector = Enumerable.Range(0, Dimension).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))).ToArray();
            ProtocolMessage sent = random.Next(2) == 0
                ? new ModelMessage(random.Next(1, 101), random.Next(9), vector)
                : new RoundMessage(random.Next(1, 101), random.Next(1, 5), random.Next(9), vector);

            var received = (ProtocolMessage)codec.Deserialize(Encode(codec, sent));

            Assert.True(sent.GetType() == received.GetType() && sent.Stage == received.Stage && sent.Sender == received.Sender, $"seed {seed}, message {i}");
            Assert.True(sent.Vector.AsSpan().SequenceEqual(received.Vector), $"seed {seed}, message {i}: vector changed");
        }
    }

    [Fact]
    public void Float32_round_trip_is_within_single_precision_rounding()
    {
        const int seed = 7;
        var random = new Random(seed);
        var codec = Codec(VectorEncoding.Float32);
        for (var i = 0; i < 200; i++)
        {
            var vector = Enumerable.Range(0, Dimension).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20))).ToArray();

            var received = (ModelMessage)codec.Deserialize(Encode(codec, new ModelMessage(3, 1, vector)));

            for (var k = 0; k < Dimension; k++)
            {
                // Round to nearest: the relative error of a normal float is at most half an ulp, 2⁻²⁴.
                var bound = Math.Abs(vector[k]) * Math.Pow(2, -24);
                Assert.True(Math.Abs(received.Vector[k] - vector[k]) <= bound, $"seed {seed}: {vector[k]} came back as {received.Vector[k]}");
            }
        }
    }

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        var bytes = Encode(Codec(VectorEncoding.Float32), new RoundMessage(7, 2, 3, [1, 2, 3, 4, -0.5]));

        Assert.Equal(20 + (Dimension * 4), bytes.Length);
        Assert.Equal([2, 1, 1, 0], bytes[..4]);
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(Dimension, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(-0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(20 + 16)));
        Assert.Equal(20 + (Dimension * 8), Valid().Length);
        Assert.Equal(ProtocolWireCodec.EncodedLength(Dimension, VectorEncoding.Float64), Valid().Length);
    }

    [Fact]
    public void A_float64_decoder_reads_float32_messages_too()
    {
        var sent = new ModelMessage(2, 4, [0.5, 0.25, -1, 2, 8]);

        var received = (ModelMessage)Codec(VectorEncoding.Float64).Deserialize(Encode(Codec(VectorEncoding.Float32), sent));

        Assert.Equal(sent.Vector, received.Vector);
    }

    public static TheoryData<string, WireRejection> Malformed() => new()
    {
        { "too-short", WireRejection.TooShort },
        { "type-0", WireRejection.UnknownType },
        { "type-3", WireRejection.UnknownType },
        { "version-2", WireRejection.UnsupportedVersion },
        { "encoding-2", WireRejection.UnknownEncoding },
        { "reserved-1", WireRejection.ReservedNotZero },
        { "iteration-0", WireRejection.BadIteration },
        { "iteration-101", WireRejection.BadIteration },
        { "round-0-in-round-message", WireRejection.BadRound },
        { "round-5-above-max", WireRejection.BadRound },
        { "round-1-in-model-message", WireRejection.BadRound },
        { "sender-negative", WireRejection.BadSender },
        { "sender-9-of-9", WireRejection.BadSender },
        { "dimension-4", WireRejection.DimensionMismatch },
        { "dimension-negative", WireRejection.DimensionMismatch },
        { "one-byte-missing", WireRejection.LengthMismatch },
        { "one-byte-extra", WireRejection.LengthMismatch },
        { "nan", WireRejection.NonFinite },
        { "infinity", WireRejection.NonFinite },
        { "float32-nan", WireRejection.NonFinite },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_is_rejected_with_its_reason(string corruption, WireRejection expected)
    {
        var codec = Codec();
        var bytes = Corrupt(corruption);

        var error = Assert.Throws<WireFormatException>(() => codec.Deserialize(bytes));

        Assert.Equal(expected, error.Reason);
        Assert.StartsWith("Rejected protocol message: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, codec.Rejections[expected]);
        Assert.Equal(1, codec.TotalRejections);
        Assert.False(codec.TryDecode(bytes, out _, out var again, out _));
        Assert.Equal(expected, again);
    }

    [Fact]
    public void Encoding_a_message_outside_the_protocol_fails_with_a_reason()
    {
        var error = Assert.Throws<WireFormatException>(() => Encode(Codec(), "not a protocol message"));

        Assert.Equal(WireRejection.UnsupportedMessage, error.Reason);
    }

    [Fact]
    public void A_double_too_large_for_float32_is_not_encoded()
    {
        var error = Assert.Throws<WireFormatException>(() => Encode(Codec(VectorEncoding.Float32), new ModelMessage(1, 0, [1, 2, 1e300, 4, 5])));

        Assert.Equal(WireRejection.NonFinite, error.Reason);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtocolWireCodec(new ProtocolWireOptions { Dimension = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtocolWireCodec(new ProtocolWireOptions { Dimension = 3, ProcessCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtocolWireCodec(new ProtocolWireOptions { Dimension = 3, Encoding = (VectorEncoding)7 }));
    }

    private static byte[] Corrupt(string corruption)
    {
        var b = Valid();
        switch (corruption)
        {
            case "too-short":
                return b[..19];
            case "type-0":
                b[0] = 0;
                break;
            case "type-3":
                b[0] = 3;
                break;
            case "version-2":
                b[1] = 2;
                break;
            case "encoding-2":
                b[2] = 2;
                break;
            case "reserved-1":
                b[3] = 1;
                break;
            case "iteration-0":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 0);
                break;
            case "iteration-101":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 101);
                break;
            case "round-0-in-round-message":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), 0);
                break;
            case "round-5-above-max":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), 5);
                break;
            case "round-1-in-model-message":
                b[0] = ProtocolWireCodec.ModelType;
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), 1);
                break;
            case "sender-negative":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(12), -1);
                break;
            case "sender-9-of-9":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(12), 9);
                break;
            case "dimension-4":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), 4);
                break;
            case "dimension-negative":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), -5);
                break;
            case "one-byte-missing":
                return b[..^1];
            case "one-byte-extra":
                return [.. b, 0];
            case "nan":
                BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(20 + 8), double.NaN);
                break;
            case "infinity":
                BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(20 + 16), double.PositiveInfinity);
                break;
            case "float32-nan":
                var f = Encode(Codec(VectorEncoding.Float32), new RoundMessage(7, 2, 3, [1, 2, 3, 4, 5]));
                BinaryPrimitives.WriteSingleLittleEndian(f.AsSpan(20 + 4), float.NaN);
                return f;
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "unknown corruption");
        }

        return b;
    }
}
