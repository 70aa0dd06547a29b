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
        // header 48 + name 1 + dimension 4 + one double 8 + state length 4 + SHA-256 32
        Assert.Equal(48 + 1 + 4 + 8 + 4 + 32, bytes.Length);
        Assert.Equal(1.5, BitConverter.ToDouble(bytes, 48 + 1 + 4));
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
        Assert.Equal("checkpoint format version 7 is not supported (this build reads version 1)", e.Message);
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
