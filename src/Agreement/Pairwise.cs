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
            // Two rows at a time against four columns: 8 independent FMA chains hide the FMA latency, and 6 loads
            // serve 8 pair differences.
            var i = 0;
            for (; i + 2 < k; i += 2)
            {
                var xi = vectors[i].Span.Slice(start, len);
                var xn = vectors[i + 1].Span.Slice(start, len);
                var rowI = RowStart(i, k) - (i + 1);
                var rowN = RowStart(i + 1, k) - (i + 2);
                acc[rowI + i + 1] += SquaredDistance(xi, xn);
                var j = i + 2;
                for (; j + 3 < k; j += 4)
                {
                    Block2x4(
                        xi,
                        xn,
                        vectors[j].Span.Slice(start, len),
                        vectors[j + 1].Span.Slice(start, len),
                        vectors[j + 2].Span.Slice(start, len),
                        vectors[j + 3].Span.Slice(start, len),
                        acc.Slice(rowI + j, 4),
                        acc.Slice(rowN + j, 4));
                }

                for (; j < k; j++)
                {
                    var (a, b) = Block2x1(xi, xn, vectors[j].Span.Slice(start, len));
                    acc[rowI + j] += a;
                    acc[rowN + j] += b;
                }
            }

            if (i + 1 < k)
            {
                // The last pair (k − 2, k − 1) when k − 1 rows is odd.
                acc[RowStart(i, k)] += SquaredDistance(vectors[i].Span.Slice(start, len), vectors[i + 1].Span.Slice(start, len));
            }
        }
    }

    /// <summary>Index of pair (i, i + 1): rows 0 … i − 1 hold (k − 1) + … + (k − i) pairs.</summary>
    private static int RowStart(int i, int k) => (i * ((2 * k) - i - 1)) / 2;

    internal static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var w = Vector<double>.Count;
        var a0 = Vector<double>.Zero;
        var a1 = Vector<double>.Zero;
        var a2 = Vector<double>.Zero;
        var a3 = Vector<double>.Zero;
        var i = 0;
        for (; i <= n - (4 * w); i += 4 * w)
        {
            var d0 = Vector.LoadUnsafe(ref rx, (nuint)i) - Vector.LoadUnsafe(ref ry, (nuint)i);
            var d1 = Vector.LoadUnsafe(ref rx, (nuint)(i + w)) - Vector.LoadUnsafe(ref ry, (nuint)(i + w));
            var d2 = Vector.LoadUnsafe(ref rx, (nuint)(i + (2 * w))) - Vector.LoadUnsafe(ref ry, (nuint)(i + (2 * w)));
            var d3 = Vector.LoadUnsafe(ref rx, (nuint)(i + (3 * w))) - Vector.LoadUnsafe(ref ry, (nuint)(i + (3 * w)));
            a0 = Vector.FusedMultiplyAdd(d0, d0, a0);
            a1 = Vector.FusedMultiplyAdd(d1, d1, a1);
            a2 = Vector.FusedMultiplyAdd(d2, d2, a2);
            a3 = Vector.FusedMultiplyAdd(d3, d3, a3);
        }

        for (; i <= n - w; i += w)
        {
            var d0 = Vector.LoadUnsafe(ref rx, (nuint)i) - Vector.LoadUnsafe(ref ry, (nuint)i);
            a0 = Vector.FusedMultiplyAdd(d0, d0, a0);
        }

        return AddTail(Vector.Sum((a0 + a1) + (a2 + a3)), x, y, i);
    }

    /// <summary>(‖x − z‖², ‖u − z‖²) in one pass, two rows against one column.</summary>
    private static (double X, double U) Block2x1(ReadOnlySpan<double> x, ReadOnlySpan<double> u, ReadOnlySpan<double> z)
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ru = ref MemoryMarshal.GetReference(u);
        ref var rz = ref MemoryMarshal.GetReference(z);
        var w = Vector<double>.Count;
        var ax0 = Vector<double>.Zero;
        var ax1 = Vector<double>.Zero;
        var au0 = Vector<double>.Zero;
        var au1 = Vector<double>.Zero;
        var i = 0;
        for (; i <= n - (2 * w); i += 2 * w)
        {
            var z0 = Vector.LoadUnsafe(ref rz, (nuint)i);
            var z1 = Vector.LoadUnsafe(ref rz, (nuint)(i + w));
            var dx0 = Vector.LoadUnsafe(ref rx, (nuint)i) - z0;
            var dx1 = Vector.LoadUnsafe(ref rx, (nuint)(i + w)) - z1;
            var du0 = Vector.LoadUnsafe(ref ru, (nuint)i) - z0;
            var du1 = Vector.LoadUnsafe(ref ru, (nuint)(i + w)) - z1;
            ax0 = Vector.FusedMultiplyAdd(dx0, dx0, ax0);
            ax1 = Vector.FusedMultiplyAdd(dx1, dx1, ax1);
            au0 = Vector.FusedMultiplyAdd(du0, du0, au0);
            au1 = Vector.FusedMultiplyAdd(du1, du1, au1);
        }

        return (AddTail(Vector.Sum(ax0 + ax1), x, z, i), AddTail(Vector.Sum(au0 + au1), u, z, i));
    }

    private static void Block2x4(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> u,
        ReadOnlySpan<double> y0,
        ReadOnlySpan<double> y1,
        ReadOnlySpan<double> y2,
        ReadOnlySpan<double> y3,
        Span<double> accX,
        Span<double> accU)
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ru = ref MemoryMarshal.GetReference(u);
        ref var r0 = ref MemoryMarshal.GetReference(y0);
        ref var r1 = ref MemoryMarshal.GetReference(y1);
        ref var r2 = ref MemoryMarshal.GetReference(y2);
        ref var r3 = ref MemoryMarshal.GetReference(y3);
        var w = Vector<double>.Count;
        var x0 = Vector<double>.Zero;
        var x1 = Vector<double>.Zero;
        var x2 = Vector<double>.Zero;
        var x3 = Vector<double>.Zero;
        var u0 = Vector<double>.Zero;
        var u1 = Vector<double>.Zero;
        var u2 = Vector<double>.Zero;
        var u3 = Vector<double>.Zero;
        var i = 0;
        for (; i <= n - w; i += w)
        {
            var xv = Vector.LoadUnsafe(ref rx, (nuint)i);
            var uv = Vector.LoadUnsafe(ref ru, (nuint)i);
            var v0 = Vector.LoadUnsafe(ref r0, (nuint)i);
            var v1 = Vector.LoadUnsafe(ref r1, (nuint)i);
            var v2 = Vector.LoadUnsafe(ref r2, (nuint)i);
            var v3 = Vector.LoadUnsafe(ref r3, (nuint)i);
            var d = xv - v0;
            x0 = Vector.FusedMultiplyAdd(d, d, x0);
            d = xv - v1;
            x1 = Vector.FusedMultiplyAdd(d, d, x1);
            d = xv - v2;
            x2 = Vector.FusedMultiplyAdd(d, d, x2);
            d = xv - v3;
            x3 = Vector.FusedMultiplyAdd(d, d, x3);
            d = uv - v0;
            u0 = Vector.FusedMultiplyAdd(d, d, u0);
            d = uv - v1;
            u1 = Vector.FusedMultiplyAdd(d, d, u1);
            d = uv - v2;
            u2 = Vector.FusedMultiplyAdd(d, d, u2);
            d = uv - v3;
            u3 = Vector.FusedMultiplyAdd(d, d, u3);
        }

        accX[0] += AddTail(Vector.Sum(x0), x, y0, i);
        accX[1] += AddTail(Vector.Sum(x1), x, y1, i);
        accX[2] += AddTail(Vector.Sum(x2), x, y2, i);
        accX[3] += AddTail(Vector.Sum(x3), x, y3, i);
        accU[0] += AddTail(Vector.Sum(u0), u, y0, i);
        accU[1] += AddTail(Vector.Sum(u1), u, y1, i);
        accU[2] += AddTail(Vector.Sum(u2), u, y2, i);
        accU[3] += AddTail(Vector.Sum(u3), u, y3, i);
    }

    /// <summary>
    /// sum + Σ_{i ≥ from} (x[i] − y[i])², added one coordinate at a time in index order: the scalar tail the
    /// vector loops leave.
    /// </summary>
    private static double AddTail(double sum, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int from)
    {
        for (var i = from; i < x.Length; i++)
        {
            var t = x[i] - y[i];
            sum += t * t;
        }

        return sum;
    }
}
