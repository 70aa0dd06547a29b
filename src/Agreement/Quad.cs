using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Decentral.Agreement;

/// <summary>
/// Four doubles as one SIMD value, whatever the machine's vector width: the reductions of this project
/// (pairwise distances for MidExtremes and Δ₂, Δcw, dot products and norms) accumulate in lanes of four and
/// add the lanes in the fixed order (l₀ + l₁) + (l₂ + l₃), so a sum is the same double on a machine with
/// 128-bit vectors (ARM64, x64 without AVX2, or with <c>DOTNET_PreferredVectorBitWidth</c> lowered), with
/// AVX2 or with AVX-512 — unlike <c>Vector&lt;T&gt;</c> or <c>TensorPrimitives</c> reductions, whose
/// lane count, and so whose rounding, follows the hardware. Multiply-adds are fused on every path (single
/// rounding, emulated where the hardware has no FMA). <see cref="Quad256"/> runs where 256-bit vectors are
/// accelerated, <see cref="Quad128"/> (two 128-bit halves, lane for lane the same arithmetic) elsewhere.
/// </summary>
internal interface IQuad<TSelf>
    where TSelf : struct, IQuad<TSelf>
{
    static abstract TSelf Zero { get; }

    static abstract TSelf Load(ref double source, nuint offset);

    static abstract TSelf Add(TSelf a, TSelf b);

    static abstract TSelf Subtract(TSelf a, TSelf b);

    /// <summary>a·b + addend, rounded once.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf addend);

    /// <summary>(l₀ + l₁) + (l₂ + l₃).</summary>
    static abstract double Sum(TSelf a);
}

internal readonly struct Quad256 : IQuad<Quad256>
{
    private readonly Vector256<double> v;

    private Quad256(Vector256<double> v) => this.v = v;

    public static Quad256 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad256 Load(ref double source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad256 Add(Quad256 a, Quad256 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad256 Subtract(Quad256 a, Quad256 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad256 MultiplyAdd(Quad256 a, Quad256 b, Quad256 addend) => new(Vector256.FusedMultiplyAdd(a.v, b.v, addend.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Quad256 a) => (a.v.GetElement(0) + a.v.GetElement(1)) + (a.v.GetElement(2) + a.v.GetElement(3));
}

internal readonly struct Quad128 : IQuad<Quad128>
{
    private readonly Vector128<double> lo;
    private readonly Vector128<double> hi;

    private Quad128(Vector128<double> lo, Vector128<double> hi)
    {
        this.lo = lo;
        this.hi = hi;
    }

    public static Quad128 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad128 Load(ref double source, nuint offset) =>
        new(Vector128.LoadUnsafe(ref source, offset), Vector128.LoadUnsafe(ref source, offset + 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad128 Add(Quad128 a, Quad128 b) => new(a.lo + b.lo, a.hi + b.hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad128 Subtract(Quad128 a, Quad128 b) => new(a.lo - b.lo, a.hi - b.hi);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Quad128 MultiplyAdd(Quad128 a, Quad128 b, Quad128 addend) =>
        new(Vector128.FusedMultiplyAdd(a.lo, b.lo, addend.lo), Vector128.FusedMultiplyAdd(a.hi, b.hi, addend.hi));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Quad128 a) => (a.lo.GetElement(0) + a.lo.GetElement(1)) + (a.hi.GetElement(0) + a.hi.GetElement(1));
}
