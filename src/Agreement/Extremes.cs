using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Decentral.Agreement;

/// <summary>
/// Running coordinate-wise max/min for <see cref="VectorMath.DiameterCw"/>. Uses the platform's native
/// max/min (cheaper than IEEE 754 maximum, which TensorPrimitives implements) and detects NaN/±Infinity
/// separately: x·0 is NaN exactly when x is, so a running x·0 sum flags any non-finite input.
/// </summary>
internal static class Extremes
{
    /// <summary>hi ← max(hi, a, b), lo ← min(lo, a, b); false when a or b holds NaN or ±Infinity.</summary>
    internal static bool Accumulate(Span<double> hi, Span<double> lo, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = hi.Length;
        ref var rh = ref MemoryMarshal.GetReference(hi);
        ref var rl = ref MemoryMarshal.GetReference(lo);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var w = Vector<double>.Count;
        var check = Vector<double>.Zero;
        var i = 0;
        for (; i <= n - w; i += w)
        {
            var va = Vector.LoadUnsafe(ref ra, (nuint)i);
            var vb = Vector.LoadUnsafe(ref rb, (nuint)i);
            Vector.StoreUnsafe(Vector.MaxNative(Vector.LoadUnsafe(ref rh, (nuint)i), Vector.MaxNative(va, vb)), ref rh, (nuint)i);
            Vector.StoreUnsafe(Vector.MinNative(Vector.LoadUnsafe(ref rl, (nuint)i), Vector.MinNative(va, vb)), ref rl, (nuint)i);
            check += (va * Vector<double>.Zero) + (vb * Vector<double>.Zero);
        }

        var scalarCheck = Vector.Sum(check);
        for (; i < n; i++)
        {
            hi[i] = Math.Max(hi[i], Math.Max(a[i], b[i]));
            lo[i] = Math.Min(lo[i], Math.Min(a[i], b[i]));
            scalarCheck += (a[i] * 0) + (b[i] * 0);
        }

        return !double.IsNaN(scalarCheck);
    }

    /// <summary>Σ (hi[i] − lo[i]), in lanes of four (the same double on every machine, see <see cref="IQuad{TSelf}"/>).</summary>
    internal static double SumOfDifferences(ReadOnlySpan<double> hi, ReadOnlySpan<double> lo) =>
        Vector256.IsHardwareAccelerated ? SumOfDifferences<Quad256>(hi, lo) : SumOfDifferences<Quad128>(hi, lo);

    internal static double SumOfDifferences<TQ>(ReadOnlySpan<double> hi, ReadOnlySpan<double> lo)
        where TQ : struct, IQuad<TQ>
    {
        var n = hi.Length;
        ref var rh = ref MemoryMarshal.GetReference(hi);
        ref var rl = ref MemoryMarshal.GetReference(lo);
        var sum = TQ.Zero;
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            sum = TQ.Add(sum, TQ.Subtract(TQ.Load(ref rh, (nuint)i), TQ.Load(ref rl, (nuint)i)));
        }

        var total = TQ.Sum(sum);
        for (; i < n; i++)
        {
            total += hi[i] - lo[i];
        }

        return total;
    }
}
