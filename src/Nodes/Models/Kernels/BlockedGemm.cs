using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Decentral.Nodes.Models.Kernels;

/// <summary>
/// A cache-blocked matrix multiply in the Goto/BLIS scheme. op(B) is cut into KC×NC panels and op(A)
/// into MC×KC blocks; each is packed once into contiguous micro-panels (which also takes care of the
/// transposes, so all four forms share one inner loop) and a 4×8 register-tiled micro-kernel sweeps
/// them: per step of p it loads two 4-wide vectors of B, broadcasts four values of A and issues eight
/// fused multiply-adds into eight accumulators that stay in registers for the whole KC loop.
/// A micro-panel of B (KC·8 doubles = 16 KB) stays in L1, a block of A (MC·KC = 256 KB) in L2.
/// </summary>
/// <remarks>
/// One instance per thread: the pack buffers are per instance, grown on first use to the largest
/// shapes seen (at most KC·MC + KC·NC doubles), so a steady state allocates nothing. Without AVX2/FMA
/// hardware the same code runs on the JIT's software vectors (slower, same results within rounding).
/// </remarks>
public sealed class BlockedGemm : IMatrixMultiply
{
    /// <summary>Rows × columns of C one micro-kernel call computes in registers.</summary>
    public const int MR = 4;
    public const int NR = 8;

    /// <summary>Largest depth of a packed panel (the shared dimension per pass).</summary>
    public const int KC = 256;

    /// <summary>Rows of A packed per block (a multiple of <see cref="MR"/>).</summary>
    public const int MC = 128;

    /// <summary>Columns of B packed per panel (a multiple of <see cref="NR"/>).</summary>
    public const int NC = 2048;

    private double[] _packedA = [];
    private double[] _packedB = [];
    private readonly double[] _edge = new double[MR * NR];

    public string Name => "blocked";

    public void Multiply(ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> b, bool transposeB, Span<double> c, int m, int n, int k, bool accumulate)
    {
        GemmArguments.Check(a.Length, b.Length, c.Length, m, n, k);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }
            return;
        }

        // Depth passes of equal length (k = 300 → 150 + 150, not 256 + 44): a short last pass would
        // pack and sweep all of C for little work.
        var passes = (k + KC - 1) / KC;
        var depth = (k + passes - 1) / passes;
        for (var jc = 0; jc < n; jc += NC)
        {
            var nc = Math.Min(NC, n - jc);
            for (var pc = 0; pc < k; pc += depth)
            {
                var kc = Math.Min(depth, k - pc);
                var packedB = PackB(b, transposeB, k, n, pc, jc, kc, nc);
                var add = accumulate || pc > 0; // the first pass over p overwrites C unless accumulating
                for (var ic = 0; ic < m; ic += MC)
                {
                    var mc = Math.Min(MC, m - ic);
                    var packedA = PackA(a, transposeA, m, k, ic, pc, mc, kc);
                    for (var jr = 0; jr < nc; jr += NR)
                    {
                        ref var panelB = ref packedB[jr * kc];
                        for (var ir = 0; ir < mc; ir += MR)
                        {
                            var rows = Math.Min(MR, mc - ir);
                            var columns = Math.Min(NR, nc - jr);
                            ref var cell = ref c[((ic + ir) * n) + jc + jr];
                            if (rows == MR && columns == NR)
                            {
                                Kernel(kc, ref packedA[ir * kc], ref panelB, ref cell, n, add);
                            }
                            else
                            {
                                Kernel(kc, ref packedA[ir * kc], ref panelB, ref _edge[0], NR, false);
                                StoreEdge(ref cell, n, rows, columns, add);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs op(A)[ic‥ic+mc, pc‥pc+kc] as ⌈mc/MR⌉ micro-panels, each kc steps of MR values (rows past
    /// the edge are zeros, so the kernel never branches on them).
    /// </summary>
    private double[] PackA(ReadOnlySpan<double> a, bool transposed, int m, int k, int ic, int pc, int mc, int kc)
    {
        var panels = (mc + MR - 1) / MR;
        var packed = Grow(ref _packedA, panels * MR * kc);
        var (rowStride, columnStride) = transposed ? (1, m) : (k, 1);
        for (var panel = 0; panel < panels; panel++)
        {
            var target = packed.AsSpan(panel * MR * kc, MR * kc);
            var rows = Math.Min(MR, mc - (panel * MR));
            var first = ((ic + (panel * MR)) * rowStride) + (pc * columnStride);
            for (var p = 0; p < kc; p++)
            {
                var source = first + (p * columnStride);
                var r = 0;
                for (; r < rows; r++)
                {
                    target[(p * MR) + r] = a[source + (r * rowStride)];
                }
                for (; r < MR; r++)
                {
                    target[(p * MR) + r] = 0;
                }
            }
        }
        return packed;
    }

    /// <summary>Packs op(B)[pc‥pc+kc, jc‥jc+nc] as ⌈nc/NR⌉ micro-panels, each kc steps of NR values (zero-padded).</summary>
    private double[] PackB(ReadOnlySpan<double> b, bool transposed, int k, int n, int pc, int jc, int kc, int nc)
    {
        var panels = (nc + NR - 1) / NR;
        var packed = Grow(ref _packedB, panels * NR * kc);
        for (var panel = 0; panel < panels; panel++)
        {
            var target = packed.AsSpan(panel * NR * kc, NR * kc);
            var columns = Math.Min(NR, nc - (panel * NR));
            var j0 = jc + (panel * NR);
            if (!transposed && columns == NR)
            {
                // A full panel of a row-major B: two vector copies per row. In range: GemmArguments
                // checked b.Length ≥ k·n, and pc + p < k, j0 + NR ≤ n.
                ref var source = ref MemoryMarshal.GetReference(b);
                ref var destination = ref MemoryMarshal.GetReference(target);
                for (var p = 0; p < kc; p++)
                {
                    var offset = (nuint)(((pc + p) * n) + j0);
                    Vector256.LoadUnsafe(ref source, offset).StoreUnsafe(ref destination, (nuint)(p * NR));
                    Vector256.LoadUnsafe(ref source, offset + 4).StoreUnsafe(ref destination, (nuint)((p * NR) + 4));
                }
                continue;
            }
            for (var p = 0; p < kc; p++)
            {
                var row = target.Slice(p * NR, NR);
                if (!transposed)
                {
                    b.Slice(((pc + p) * n) + j0, columns).CopyTo(row);
                }
                else
                {
                    for (var q = 0; q < columns; q++)
                    {
                        row[q] = b[((j0 + q) * k) + pc + p];
                    }
                }
                row[columns..].Clear();
            }
        }
        return packed;
    }

    private static double[] Grow(ref double[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new double[length];
        }
        return buffer;
    }

    private void StoreEdge(ref double c, int ldc, int rows, int columns, bool add)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var q = 0; q < columns; q++)
            {
                ref var target = ref Unsafe.Add(ref c, (r * ldc) + q);
                target = add ? target + _edge[(r * NR) + q] : _edge[(r * NR) + q];
            }
        }
    }

    /// <summary>C[0‥4, 0‥8] (=|+=) Σ_p a[p·4 + r]·b[p·8 + q] over the packed micro-panels, in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int kc, ref double a, ref double b, ref double c, int ldc, bool add)
    {
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<double> c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, 4);
            var a0 = Vector256.Create(a);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            a = ref Unsafe.Add(ref a, MR);
            b = ref Unsafe.Add(ref b, NR);
        }
        Store(ref c, c00, c01, add);
        Store(ref Unsafe.Add(ref c, ldc), c10, c11, add);
        Store(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, add);
        Store(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref double row, Vector256<double> low, Vector256<double> high, bool add)
    {
        if (add)
        {
            low += Vector256.LoadUnsafe(ref row);
            high += Vector256.LoadUnsafe(ref row, 4);
        }
        low.StoreUnsafe(ref row);
        high.StoreUnsafe(ref row, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;
}
