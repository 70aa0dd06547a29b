using System.Buffers.Binary;
using Decentral.Agreement;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Tests.Fuzzing;

/// <summary>One input of the wire codec: what the receiving codec expects, and the frame it receives.</summary>
internal sealed record WireCase(ProtocolWireOptions Options, byte[] Frame);

/// <summary>
/// <see cref="ProtocolWireCodec"/>'s decoding of mutated frames: valid messages of random dimensions,
/// encodings, stages and senders (values including NaN, infinities, subnormals and values too large for
/// float32), then bit flips, header fields set to boundary values, truncation, extension and random
/// bytes. Allowed outcomes: a message, or a <see cref="WireFormatException"/> whose reason
/// <see cref="ProtocolWireCodec.TryDecode"/> gives too. A decoded message must satisfy the options and
/// encode back to the same bytes.
/// </summary>
internal static class WireFrameTarget
{
    private static readonly int[] Dimensions = [1, 2, 3, 7, 30, 100, 1000];

    public static ulong Purpose { get; } = SeedPurpose.Of("fuzz-wire-codec");

    public static WireCase Make(ulong seed, int n)
    {
        var random = SeededRandom.For(seed, Purpose, n, 0);
        var options = new ProtocolWireOptions
        {
            Dimension = random.Chance(0.01) ? 100_000 : Dimensions[random.Next(Dimensions.Length)],
            ProcessCount = random.Chance(0.3) ? null : random.Next(1, 20),
            MaxIteration = random.Chance(0.3) ? null : random.Next(1, 1000),
            MaxRound = random.Chance(0.3) ? null : random.Next(0, 10),
        };
        var frame = random.Chance(0.02) ? Noise(random, random.Next(0, 64)) : ValidFrame(options, random);
        for (var i = random.Next(0, 5); i > 0; i--)
        {
            frame = Mutate(frame, options, random);
        }

        return new WireCase(options, frame);
    }

    public static FuzzOutcome Check(WireCase input)
    {
        var codec = new ProtocolWireCodec(input.Options);
        var accepted = codec.TryDecode(input.Frame, out var message, out var reason, out var detail);
        try
        {
            var again = (ProtocolMessage)codec.Deserialize(input.Frame);
            if (!accepted)
            {
                return FuzzOutcome.Fail($"TryDecode rejected ({reason}: {detail}) what Deserialize accepted");
            }

            if (again.GetType() != message.GetType() || again.Stage != message.Stage || again.Sender != message.Sender
                || !again.Vector.AsSpan().SequenceEqual(message.Vector))
            {
                return FuzzOutcome.Fail("Deserialize and TryDecode decoded different messages");
            }
        }
        catch (WireFormatException e)
        {
            return accepted || e.Reason != reason
                ? FuzzOutcome.Fail($"Deserialize threw {e.Reason} where TryDecode said {(accepted ? "accepted" : reason)}")
                : new FuzzOutcome(reason.ToString());
        }

        return Valid(message, input) ?? new FuzzOutcome("accepted");
    }

    public static string Show(WireCase input) =>
        $"{input.Options} frame {Convert.ToHexString(input.Frame.AsSpan(0, Math.Min(input.Frame.Length, 96)))}{(input.Frame.Length > 96 ? "…" : "")} ({input.Frame.Length} bytes)";

    /// <summary>Null when the decoded message satisfies the options and encodes back to the frame.</summary>
    private static FuzzOutcome? Valid(ProtocolMessage message, WireCase input)
    {
        var o = input.Options;
        if (message.Vector.Length != o.Dimension || !message.Vector.All(double.IsFinite)
            || message.Stage.Iteration < 1 || message.Stage.Iteration > (o.MaxIteration ?? int.MaxValue)
            || message.Sender < 0 || message.Sender >= (o.ProcessCount ?? int.MaxValue)
            || (message is RoundMessage r && r.Round > (o.MaxRound ?? int.MaxValue)))
        {
            return FuzzOutcome.Fail($"accepted a message outside the options: {message.Stage}, sender {message.Sender}, {message.Vector.Length} values");
        }

        var encoding = (VectorEncoding)input.Frame[2];
        var encoded = new ProtocolWireCodec(o with { Encoding = encoding }).Encode(message);
        return encoded.AsSpan().SequenceEqual(input.Frame) ? null : FuzzOutcome.Fail("the decoded message encodes to other bytes");
    }

    private static byte[] ValidFrame(ProtocolWireOptions options, SeededRandom random)
    {
        var values = new double[options.Dimension];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(50) switch
            {
                0 => double.NaN,
                1 => double.PositiveInfinity,
                2 => 1e300,
                3 => double.Epsilon,
                4 => -0.0,
                _ => random.NextGaussian(),
            };
        }

        var iteration = random.Chance(0.9) ? random.Next(1, (options.MaxIteration ?? 999) + 1) : random.Next(-2, 2000);
        var sender = random.Chance(0.9) ? random.Next(0, options.ProcessCount ?? 20) : random.Next(-2, 40);
        var maxRound = options.MaxRound ?? 10;
        ProtocolMessage message = random.Chance(0.5) || maxRound < 1
            ? new ModelMessage(iteration, sender, values)
            : new RoundMessage(iteration, random.Next(1, maxRound + 1), sender, values);
        var encoding = random.Chance(0.5) ? VectorEncoding.Float32 : VectorEncoding.Float64;
        try
        {
            return new ProtocolWireCodec(options with { Encoding = encoding }).Encode(message);
        }
        catch (WireFormatException)
        {
            // A value float32 cannot hold: send it as float64.
            return new ProtocolWireCodec(options).Encode(message);
        }
    }

    private static byte[] Mutate(byte[] frame, ProtocolWireOptions options, SeededRandom random)
    {
        var bytes = frame.ToList();
        var at = random.Next(bytes.Count + 1);
        switch (random.Next(8))
        {
            case 0 when bytes.Count > 0:
                bytes[Math.Min(at, bytes.Count - 1)] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count >= ProtocolWireCodec.HeaderBytes:
                var field = 4 * random.Next(1, 5);
                int[] boundaries = [0, -1, 1, int.MaxValue, int.MinValue, options.Dimension - 1, options.Dimension + 1, options.ProcessCount ?? 0, (options.MaxIteration ?? 0) + 1];
                var header = bytes.ToArray();
                BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(field), boundaries[random.Next(boundaries.Length)]);
                return header;
            case 2 when bytes.Count >= 4:
                bytes[random.Next(4)] = (byte)random.Next(4);
                break;
            case 3:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 4:
                bytes.InsertRange(at, Noise(random, random.Next(1, 16)));
                break;
            case 5 when bytes.Count > ProtocolWireCodec.HeaderBytes + 8:
                var slot = ProtocolWireCodec.HeaderBytes + (8 * random.Next((bytes.Count - ProtocolWireCodec.HeaderBytes) / 8));
                var nan = BitConverter.GetBytes(random.Chance(0.5) ? double.NaN : double.NegativeInfinity);
                for (var i = 0; i < 8; i++)
                {
                    bytes[slot + i] = nan[i];
                }

                break;
            case 6:
                bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at));
                break;
            default:
                bytes.AddRange(Noise(random, random.Next(1, 9)));
                break;
        }

        return [.. bytes];
    }

    private static byte[] Noise(SeededRandom random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
