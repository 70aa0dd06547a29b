using System.Buffers;
using System.Diagnostics;

namespace Decentral.Actors;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}"/> whose written bytes stay writable, so a frame's
/// length prefix and MAC can be filled in after its payload was serialized into it.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096)
    {
        _array = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int WrittenCount => _written;

    public Span<byte> WrittenSpan => _array.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    /// <summary>Forgets everything written after <paramref name="count"/> bytes (rolls back a failed frame).</summary>
    public void Truncate(int count)
    {
        Debug.Assert(count >= 0 && count <= _written, "Truncate can only shorten the buffer.");
        _written = count;
    }

    /// <summary>Empties the buffer; a very large array goes back to the pool so one huge message does not pin it.</summary>
    public void Clear(int keepCapacity = 1 << 20)
    {
        _written = 0;
        if (_array.Length > keepCapacity)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = ArrayPool<byte>.Shared.Rent(4096);
        }
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _written = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Ensure(int sizeHint)
    {
        var need = Math.Max(sizeHint, 1);
        if (_array.Length - _written >= need)
        {
            return;
        }

        var size = Math.Max(_array.Length * 2L, (long)_written + need);
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Array.MaxLength));
        _array.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
