using Decentral.Nodes.Checkpoints;

namespace Decentral.Nodes.Tests.Checkpoints;

public sealed class CheckpointCodecTests
{
    [Fact]
    public void Encode_then_decode_is_the_identity()
    {
        var checkpoint = CheckpointStoreContract.Make("c2/n3 ünïcode", 12345, dimension: 64, state: new byte[1000]);
        var decoded = CheckpointCodec.Decode(CheckpointCodec.Encode(checkpoint));
        Assert.Equal(checkpoint, decoded);
        Assert.Equal(checkpoint.WrittenAt.Offset, decoded.WrittenAt.Offset);
    }

    [Fact]
    public void Layout_is_little_endian_with_the_documented_header()
    {
        var bytes = CheckpointCodec.Encode(new Checkpoint("n", 1, 2, 3, [1.5], [], DateTimeOffset.UnixEpoch));
        Assert.Equal("DCKP"u8.ToArray(), bytes[..4]);
        Assert.Equal(CheckpointCodec.FormatVersion, BitConverter.ToUInt16(bytes, 4));
        Assert.Equal((uint)bytes.Length, BitConverter.ToUInt32(bytes, 8));
        Assert.Equal(2L, BitConverter.ToInt64(bytes, 20));
        // header 48 + name 1 + dimension 4 + one double 8 + optimizer name length 2 + optimizer state length 4
        // + state length 4 + SHA-256 32
        Assert.Equal(48 + 1 + 4 + 8 + 2 + 4 + 4 + 32, bytes.Length);
        Assert.Equal(1.5, BitConverter.ToDouble(bytes, 48 + 1 + 4));
    }

    [Fact]
    public void Optimizer_state_follows_the_model_and_round_trips()
    {
        var checkpoint = new Checkpoint("c1/n1", 1, 2, 0, [1.5, -2], [9], DateTimeOffset.UnixEpoch, "adam", [0.25, -0.5, 1e-3, 4e-6, 3]);
        var bytes = CheckpointCodec.Encode(checkpoint);

        var at = 48 + "c1/n1".Length + 4 + 16;
        Assert.Equal(4, BitConverter.ToUInt16(bytes, at));
        Assert.Equal("adam"u8.ToArray(), bytes[(at + 2)..(at + 6)]);
        Assert.Equal(5, BitConverter.ToInt32(bytes, at + 6));
        Assert.Equal(0.25, BitConverter.ToDouble(bytes, at + 10));
        var decoded = CheckpointCodec.Decode(bytes);
        Assert.Equal(checkpoint, decoded);
        Assert.Equal("adam", decoded.Optimizer);
        Assert.Equal([0.25, -0.5, 1e-3, 4e-6, 3], decoded.OptimizerState.ToArray());
    }

    [Fact]
    public void A_version_1_record_from_before_local_optimizers_still_reads_with_no_optimizer_state()
    {
        var version1 = Version1(new Checkpoint("c1/n1", 2, 40, 0, [0.5, 0.25, -1], [7, 8], new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1))));

        var decoded = CheckpointCodec.Decode(version1);

        Assert.Equal((2L, 40L, "c1/n1"), (decoded.Incarnation, decoded.Iteration, decoded.Node));
        Assert.Equal([0.5, 0.25, -1], decoded.Model.ToArray());
        Assert.Equal([7, 8], decoded.ProtocolState.ToArray());
        Assert.Equal("", decoded.Optimizer);
        Assert.True(decoded.OptimizerState.IsEmpty);
    }

    [Fact]
    public void Optimizer_state_must_be_finite_and_named()
    {
        var at = DateTimeOffset.UnixEpoch;
        Assert.Throws<ArgumentException>(() => new Checkpoint("n", 0, 0, 0, [1.0], [], at, "momentum", [double.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => new Checkpoint("n", 0, 0, 0, [1.0], [], at, "", [0.5]));
        Assert.Throws<ArgumentException>(() => new Checkpoint("n", 0, 0, 0, [1.0], [], at, new string('o', 65), [0.5]));
    }

    /// <summary>
    /// The version-1 layout, written as the previous build wrote it: header, name, model, protocol state,
    /// SHA-256 — no optimizer section.
    /// </summary>
    private static byte[] Version1(Checkpoint c)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(c.Node);
        var body = new List<byte>();
        body.AddRange("DCKP"u8.ToArray());
        body.AddRange(BitConverter.GetBytes((ushort)1));
        body.AddRange(BitConverter.GetBytes((ushort)0));
        var total = 48 + name.Length + 4 + (8 * c.Model.Length) + 4 + c.ProtocolState.Length + 32;
        body.AddRange(BitConverter.GetBytes((uint)total));
        body.AddRange(BitConverter.GetBytes(c.Incarnation));
        body.AddRange(BitConverter.GetBytes(c.Iteration));
        body.AddRange(BitConverter.GetBytes(c.Round));
        body.AddRange(BitConverter.GetBytes(c.WrittenAt.UtcTicks));
        body.AddRange(BitConverter.GetBytes((short)c.WrittenAt.TotalOffsetMinutes));
        body.AddRange(BitConverter.GetBytes((ushort)name.Length));
        body.AddRange(name);
        body.AddRange(BitConverter.GetBytes(c.Model.Length));
        foreach (var v in c.Model.ToArray())
        {
            body.AddRange(BitConverter.GetBytes(v));
        }
        body.AddRange(BitConverter.GetBytes(c.ProtocolState.Length));
        body.AddRange(c.ProtocolState.ToArray());
        var bytes = body.ToArray();
        return [.. bytes, .. System.Security.Cryptography.SHA256.HashData(bytes)];
    }

    [Fact]
    public void Every_single_byte_corruption_is_detected()
    {
        var bytes = CheckpointCodec.Encode(CheckpointStoreContract.Make("c1/n1", 3, dimension: 4));
        for (var i = 0; i < bytes.Length; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x01;
            Assert.False(CheckpointCodec.TryDecode(damaged, out _, out var problem), $"flip at byte {i} went unnoticed");
            Assert.NotEmpty(problem);
        }
    }

    [Fact]
    public void Every_truncation_is_detected()
    {
        var bytes = CheckpointCodec.Encode(CheckpointStoreContract.Make("c1/n1", 3, dimension: 4));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(CheckpointCodec.TryDecode(bytes.AsSpan(0, length), out _, out _), $"prefix of {length} bytes accepted");
        }
    }

    [Fact]
    public void Wrong_version_throws_a_clear_error()
    {
        var bytes = CheckpointCodec.Encode(CheckpointStoreContract.Make("c1/n1", 3));
        bytes[4] = 7;
        var e = Assert.Throws<CheckpointFormatException>(() => CheckpointCodec.Decode(bytes));
        Assert.Equal("checkpoint format version 7 is not supported (this build reads versions 1 to 2)", e.Message);
    }

    [Fact]
    public void Checkpoint_rejects_invalid_contents()
    {
        var at = DateTimeOffset.UnixEpoch;
        Assert.Throws<ArgumentException>(() => new Checkpoint("c1/n1", 0, 0, 0, [double.NaN], [], at));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("c1/n1", 0, 0, 0, [], [], at));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("c1/n1", -1, 0, 0, [1.0], [], at));
        Assert.Throws<ArgumentException>(() => new Checkpoint("", 0, 0, 0, [1.0], [], at));
        Assert.Throws<ArgumentException>(() => new Checkpoint(new string('x', 300), 0, 0, 0, [1.0], [], at));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("n", 0, 0, 0, [1.0], new byte[Checkpoint.MaxProtocolStateBytes + 1], at));
    }

    [Fact]
    public void Checkpoint_copies_its_vectors()
    {
        double[] model = [1, 2];
        var checkpoint = new Checkpoint("n", 0, 0, 0, model, [], DateTimeOffset.UnixEpoch);
        model[0] = 99;
        Assert.Equal(1, checkpoint.Model.Span[0]);
    }
}
