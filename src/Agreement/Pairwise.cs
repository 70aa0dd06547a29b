using System.Numerics;
using System.Runtime.InteropServices;

namespace Decentral.Agreement;

/// <summary>
/// All pairwise squared Euclidean distances among k vectors in one sweep over the dimension: for each
/// chunk, every pair's partial sum is accumulated while the k chunks are cache-resident, so each vector
/// is read from memory once (O(k²·d) arithmetic, O(k·d) memory traffic). Pairs are numbered
/// (0,1), (0,2), …, (0,k−1), (1,2), …; <see cref="PairAt"/> maps an index back to its pair.
/// </summary>
internal static class Pairwise
{
    /// <summary>Pair tables up to this size live on the stack (k ≤ 46).</summary>
    internal const int MaxStackPairs = 1_024;

    internal static int PairCount(int k) => k * (k - 1) / 2;

    internal static (int I, int J) PairAt(int index, int k)
    {
        var i = 0;
        var rowLength = k - 1;
        while (index >= rowLength)
        {
            index -= rowLength;
            i++;
            rowLength--;
        }

        return (i, i + 1 + index);
    }

    internal static void SquaredDistances(IReadOnlyList<ReadOnlyMemory<double>> vectors, Span<double> acc)
    {
        var k = vectors.Count;
        var d = vectors[0].Length;
        System.Diagnostics.Debug.Assert(acc.Length == PairCount(k), "one accumulator per pair");
        acc.Clear();
        var chunk = VectorMath.ChunkLength(k);
        for (var start = 0; start < d; start += chunk)
        {
            var len = Math.Min(chunk, d - start);
            var p = 0;
            for (var i = 0; i < k - 1; i++)
            {
                var xi = vectors[i].Span.Slice(start, len);
                var j = i + 1;
                // Four partners at a time: x_i is loaded once per four differences.
                for (; j + 3 < k; j += 4)
                {
                    Block4(
                        xi,
                        vectors[j].Span.Slice(start, len),
                        vectors[j + 1].Span.Slice(start, len),
                        vectors[j + 2].Span.Slice(start, len),
                        vectors[j + 3].Span.Slice(start, len),
                        acc.Slice(p, 4));
                    p += 4;
                }

                for (; j < k; j++)
                {
                    acc[p++] += SquaredDistance(xi, vectors[j].Span.Slice(start, len));
                }
            }
        }
    }

    internal static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var w = Vector<double>.Count;
        var a0 = Vector<double>.Zero;
        var a1 = Vector<double>.Zero;
        var i = 0;
        for (; i <= n - (2 * w); i += 2 * w)
        {
            var d0 = Vector.LoadUnsafe(ref rx, (nuint)i) - Vector.LoadUnsafe(ref ry, (nuint)i);
            var d1 = Vector.LoadUnsafe(ref rx, (nuint)(i + w)) - Vector.LoadUnsafe(ref ry, (nuint)(i + w));
            a0 = Vector.FusedMultiplyAdd(d0, d0, a0);
            a1 = Vector.FusedMultiplyAdd(d1, d1, a1);
        }

        for (; i <= n - w; i += w)
        {
            var d0 = Vector.LoadUnsafe(ref rx, (nuint)i) - Vector.LoadUnsafe(ref ry, (nuint)i);
            a0 = Vector.FusedMultiplyAdd(d0, d0, a0);
        }

        var sum = Vector.Sum(a0 + a1);
        for (; i < n; i++)
        {
            var t = x[i] - y[i];
            sum += t * t;
        }

        return sum;
    }

    private static void Block4(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> y0,
        ReadOnlySpan<double> y1,
        ReadOnlySpan<double> y2,
        ReadOnlySpan<double> y3,
        Span<double> acc)
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var r0 = ref MemoryMarshal.GetReference(y0);
        ref var r1 = ref MemoryMarshal.GetReference(y1);
        ref var r2 = ref MemoryMarshal.GetReference(y2);
        ref var r3 = ref MemoryMarshal.GetReference(y3);
        var w = Vector<double>.Count;
        var a0 = Vector<double>.Zero;
        var a1 = Vector<double>.Zero;
        var a2 = Vector<double>.Zero;
        var a3 = Vector<double>.Zero;
        var i = 0;
        for (; i <= n - w; i += w)
        {
            var xv = Vector.LoadUnsafe(ref rx, (nuint)i);
            var d0 = xv - Vector.LoadUnsafe(ref r0, (nuint)i);
            var d1 = xv - Vector.LoadUnsafe(ref r1, (nuint)i);
            var d2 = xv - Vector.LoadUnsafe(ref r2, (nuint)i);
            var d3 = xv - Vector.LoadUnsafe(ref r3, (nuint)i);
            a0 = Vector.FusedMultiplyAdd(d0, d0, a0);
            a1 = Vector.FusedMultiplyAdd(d1, d1, a1);
            a2 = Vector.FusedMultiplyAdd(d2, d2, a2);
            a3 = Vector.FusedMultiplyAdd(d3, d3, a3);
        }

        var s0 = Vector.Sum(a0);
        var s1 = Vector.Sum(a1);
        var s2 = Vector.Sum(a2);
        var s3 = Vector.Sum(a3);
        for (; i < n; i++)
        {
            var t0 = x[i] - y0[i];
            var t1 = x[i] - y1[i];
            var t2 = x[i] - y2[i];
            var t3 = x[i] - y3[i];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }

        acc[0] += s0;
        acc[1] += s1;
        acc[2] += s2;
        acc[3] += s3;
    }
}
