using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Decentral.Agreement;

/// <summary>
/// All pairwise squared Euclidean distances among k vectors in one sweep over the dimension: for each
/// chunk, every pair's partial sum is accumulated while the k chunks are cache-resident, so each vector
/// is read from memory once (O(k²·d) arithmetic, O(k·d) memory traffic). Pairs are numbered
/// (0,1), (0,2), …, (0,k−1), (1,2), …; <see cref="PairAt"/> maps an index back to its pair. Sums run in
/// lanes of four (<see cref="IQuad{TSelf}"/>), so every distance — and MidExtremes' choice of the farthest
/// pair — is the same on machines with different SIMD widths.
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
        if (Vector256.IsHardwareAccelerated)
        {
            SquaredDistances<Quad256>(vectors, acc);
        }
        else
        {
            SquaredDistances<Quad128>(vectors, acc);
        }
    }

    internal static void SquaredDistances<TQ>(IReadOnlyList<ReadOnlyMemory<double>> vectors, Span<double> acc)
        where TQ : struct, IQuad<TQ>
    {
        var k = vectors.Count;
        var d = vectors[0].Length;
        Invariant.Check(acc.Length == PairCount(k), "pairwise.accumulators", "one accumulator per pair");
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
                acc[rowI + i + 1] += SquaredDistance<TQ>(xi, xn);
                var j = i + 2;
                for (; j + 3 < k; j += 4)
                {
                    Block2x4<TQ>(
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
                    var (a, b) = Block2x1<TQ>(xi, xn, vectors[j].Span.Slice(start, len));
                    acc[rowI + j] += a;
                    acc[rowN + j] += b;
                }
            }

            if (i + 1 < k)
            {
                // The last pair (k − 2, k − 1) when k − 1 rows is odd.
                acc[RowStart(i, k)] += SquaredDistance<TQ>(vectors[i].Span.Slice(start, len), vectors[i + 1].Span.Slice(start, len));
            }
        }
    }

    /// <summary>Index of pair (i, i + 1): rows 0 … i − 1 hold (k − 1) + … + (k − i) pairs.</summary>
    private static int RowStart(int i, int k) => (i * ((2 * k) - i - 1)) / 2;

    internal static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y) =>
        Vector256.IsHardwareAccelerated ? SquaredDistance<Quad256>(x, y) : SquaredDistance<Quad128>(x, y);

    /// <summary>Σ (x[i] − y[i])² in lanes of four (see <see cref="IQuad{TSelf}"/>): the same double on every machine.</summary>
    internal static double SquaredDistance<TQ>(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        where TQ : struct, IQuad<TQ>
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var a0 = TQ.Zero;
        var a1 = TQ.Zero;
        var a2 = TQ.Zero;
        var a3 = TQ.Zero;
        var i = 0;
        for (; i <= n - 16; i += 16)
        {
            var d0 = TQ.Subtract(TQ.Load(ref rx, (nuint)i), TQ.Load(ref ry, (nuint)i));
            var d1 = TQ.Subtract(TQ.Load(ref rx, (nuint)(i + 4)), TQ.Load(ref ry, (nuint)(i + 4)));
            var d2 = TQ.Subtract(TQ.Load(ref rx, (nuint)(i + 8)), TQ.Load(ref ry, (nuint)(i + 8)));
            var d3 = TQ.Subtract(TQ.Load(ref rx, (nuint)(i + 12)), TQ.Load(ref ry, (nuint)(i + 12)));
            a0 = TQ.MultiplyAdd(d0, d0, a0);
            a1 = TQ.MultiplyAdd(d1, d1, a1);
            a2 = TQ.MultiplyAdd(d2, d2, a2);
            a3 = TQ.MultiplyAdd(d3, d3, a3);
        }

        for (; i <= n - 4; i += 4)
        {
            var d0 = TQ.Subtract(TQ.Load(ref rx, (nuint)i), TQ.Load(ref ry, (nuint)i));
            a0 = TQ.MultiplyAdd(d0, d0, a0);
        }

        return AddTail(TQ.Sum(TQ.Add(TQ.Add(a0, a1), TQ.Add(a2, a3))), x, y, i);
    }

    /// <summary>(‖x − z‖², ‖u − z‖²) in one pass, two rows against one column.</summary>
    private static (double X, double U) Block2x1<TQ>(ReadOnlySpan<double> x, ReadOnlySpan<double> u, ReadOnlySpan<double> z)
        where TQ : struct, IQuad<TQ>
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ru = ref MemoryMarshal.GetReference(u);
        ref var rz = ref MemoryMarshal.GetReference(z);
        var ax0 = TQ.Zero;
        var ax1 = TQ.Zero;
        var au0 = TQ.Zero;
        var au1 = TQ.Zero;
        var i = 0;
        for (; i <= n - 8; i += 8)
        {
            var z0 = TQ.Load(ref rz, (nuint)i);
            var z1 = TQ.Load(ref rz, (nuint)(i + 4));
            var dx0 = TQ.Subtract(TQ.Load(ref rx, (nuint)i), z0);
            var dx1 = TQ.Subtract(TQ.Load(ref rx, (nuint)(i + 4)), z1);
            var du0 = TQ.Subtract(TQ.Load(ref ru, (nuint)i), z0);
            var du1 = TQ.Subtract(TQ.Load(ref ru, (nuint)(i + 4)), z1);
            ax0 = TQ.MultiplyAdd(dx0, dx0, ax0);
            ax1 = TQ.MultiplyAdd(dx1, dx1, ax1);
            au0 = TQ.MultiplyAdd(du0, du0, au0);
            au1 = TQ.MultiplyAdd(du1, du1, au1);
        }

        return (AddTail(TQ.Sum(TQ.Add(ax0, ax1)), x, z, i), AddTail(TQ.Sum(TQ.Add(au0, au1)), u, z, i));
    }

    private static void Block2x4<TQ>(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> u,
        ReadOnlySpan<double> y0,
        ReadOnlySpan<double> y1,
        ReadOnlySpan<double> y2,
        ReadOnlySpan<double> y3,
        Span<double> accX,
        Span<double> accU)
        where TQ : struct, IQuad<TQ>
    {
        var n = x.Length;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ru = ref MemoryMarshal.GetReference(u);
        ref var r0 = ref MemoryMarshal.GetReference(y0);
        ref var r1 = ref MemoryMarshal.GetReference(y1);
        ref var r2 = ref MemoryMarshal.GetReference(y2);
        ref var r3 = ref MemoryMarshal.GetReference(y3);
        var x0 = TQ.Zero;
        var x1 = TQ.Zero;
        var x2 = TQ.Zero;
        var x3 = TQ.Zero;
        var u0 = TQ.Zero;
        var u1 = TQ.Zero;
        var u2 = TQ.Zero;
        var u3 = TQ.Zero;
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var xv = TQ.Load(ref rx, (nuint)i);
            var uv = TQ.Load(ref ru, (nuint)i);
            var v0 = TQ.Load(ref r0, (nuint)i);
            var v1 = TQ.Load(ref r1, (nuint)i);
            var v2 = TQ.Load(ref r2, (nuint)i);
            var v3 = TQ.Load(ref r3, (nuint)i);
            var d = TQ.Subtract(xv, v0);
            x0 = TQ.MultiplyAdd(d, d, x0);
            d = TQ.Subtract(xv, v1);
            x1 = TQ.MultiplyAdd(d, d, x1);
            d = TQ.Subtract(xv, v2);
            x2 = TQ.MultiplyAdd(d, d, x2);
            d = TQ.Subtract(xv, v3);
            x3 = TQ.MultiplyAdd(d, d, x3);
            d = TQ.Subtract(uv, v0);
            u0 = TQ.MultiplyAdd(d, d, u0);
            d = TQ.Subtract(uv, v1);
            u1 = TQ.MultiplyAdd(d, d, u1);
            d = TQ.Subtract(uv, v2);
            u2 = TQ.MultiplyAdd(d, d, u2);
            d = TQ.Subtract(uv, v3);
            u3 = TQ.MultiplyAdd(d, d, u3);
        }

        accX[0] += AddTail(TQ.Sum(x0), x, y0, i);
        accX[1] += AddTail(TQ.Sum(x1), x, y1, i);
        accX[2] += AddTail(TQ.Sum(x2), x, y2, i);
        accX[3] += AddTail(TQ.Sum(x3), x, y3, i);
        accU[0] += AddTail(TQ.Sum(u0), u, y0, i);
        accU[1] += AddTail(TQ.Sum(u1), u, y1, i);
        accU[2] += AddTail(TQ.Sum(u2), u, y2, i);
        accU[3] += AddTail(TQ.Sum(u3), u, y3, i);
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
