using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Decentral.Agreement;

/// <summary>
/// Vector kernels of approximate agreement. Functions over k vectors walk the dimension in chunks sized
/// so that the k chunks stay in cache, which streams every vector from memory once per call.
/// Functions that reduce over several vectors reject NaN/±Infinity (ArgumentException naming the
/// parameter); <see cref="SquaredDistance"/> and <see cref="Axpy"/> are raw kernels and propagate them.
/// Every result is the same double on machines with different SIMD widths: element-wise kernels round each
/// coordinate once whatever the vector length (TensorPrimitives' Add, Multiply, Divide and the unfused
/// MultiplyAdd), and the reductions (<see cref="Dot"/>, <see cref="SquaredDistance"/>, the diameters,
/// MidExtremes' pair choice) sum in lanes of four in a fixed order (<see cref="IQuad{TSelf}"/>).
/// </summary>
public static class VectorMath
{
    /// <summary>destination ← (1/k) Σ inputs[i].</summary>
    public static void Mean(IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> destination)
    {
        var d = CommonDimension(inputs, nameof(inputs));
        CheckDestination(d, destination);
        var k = inputs.Count;
        var chunk = L1Chunk;
        var finite = true;
        for (var start = 0; start < d; start += chunk)
        {
            var len = Math.Min(chunk, d - start);
            var dst = destination.Slice(start, len);
            inputs[0].Span.Slice(start, len).CopyTo(dst);
            for (var i = 1; i < k; i++)
            {
                TensorPrimitives.Add(dst, inputs[i].Span.Slice(start, len), dst);
            }

            TensorPrimitives.Divide(dst, k, dst);
            // A non-finite input makes the sum non-finite: checking the output chunk while it is in cache
            // validates the inputs without a second pass over them.
            finite &= TensorPrimitives.IsFiniteAll<double>(dst);
        }

        if (!finite)
        {
            ThrowNonFinite(inputs, nameof(inputs));
        }
    }

    /// <summary>Σ (x[i] − y[i])².</summary>
    public static double SquaredDistance(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckSameLength(x, y);
        return Pairwise.SquaredDistance(x, y);
    }

    /// <summary>
    /// Σ x[i]·y[i], summed in lanes of four with fused multiply-adds (see <see cref="IQuad{TSelf}"/>): the same
    /// double on machines with different SIMD widths, which <c>TensorPrimitives.Dot</c> does not promise.
    /// </summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckSameLength(x, y);
        return Vector256.IsHardwareAccelerated ? Dot<Quad256>(x, y) : Dot<Quad128>(x, y);
    }

    /// <summary>Σ x[i]² (<see cref="Dot"/> of x with itself: machine-independent).</summary>
    public static double SumOfSquares(ReadOnlySpan<double> x) => Dot(x, x);

    /// <summary>‖x‖₂ (machine-independent, see <see cref="Dot"/>).</summary>
    public static double Norm(ReadOnlySpan<double> x) => Math.Sqrt(Dot(x, x));

    internal static double Dot<TQ>(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
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
            a0 = TQ.MultiplyAdd(TQ.Load(ref rx, (nuint)i), TQ.Load(ref ry, (nuint)i), a0);
            a1 = TQ.MultiplyAdd(TQ.Load(ref rx, (nuint)(i + 4)), TQ.Load(ref ry, (nuint)(i + 4)), a1);
            a2 = TQ.MultiplyAdd(TQ.Load(ref rx, (nuint)(i + 8)), TQ.Load(ref ry, (nuint)(i + 8)), a2);
            a3 = TQ.MultiplyAdd(TQ.Load(ref rx, (nuint)(i + 12)), TQ.Load(ref ry, (nuint)(i + 12)), a3);
        }

        for (; i <= n - 4; i += 4)
        {
            a0 = TQ.MultiplyAdd(TQ.Load(ref rx, (nuint)i), TQ.Load(ref ry, (nuint)i), a0);
        }

        var sum = TQ.Sum(TQ.Add(TQ.Add(a0, a1), TQ.Add(a2, a3)));
        for (; i < n; i++)
        {
            sum = Math.FusedMultiplyAdd(x[i], y[i], sum);
        }

        return sum;
    }

    /// <summary>y ← a·x + y.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        CheckSameLength(x, y);
        TensorPrimitives.MultiplyAdd(x, a, y, y);
    }

    /// <summary>destination ← Σ weights[i]·inputs[i].</summary>
    public static void WeightedSum(
        ReadOnlySpan<double> weights, IReadOnlyList<ReadOnlyMemory<double>> inputs, Span<double> destination)
    {
        var d = CommonDimension(inputs, nameof(inputs));
        CheckDestination(d, destination);
        if (weights.Length != inputs.Count)
        {
            throw new ArgumentException(
                $"Expected {inputs.Count} weights, one per input, but got {weights.Length}.", nameof(weights));
        }

        destination.Clear();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (weights[i] != 0)
            {
                TensorPrimitives.MultiplyAdd(inputs[i].Span, weights[i], destination, destination);
            }
        }
    }

    /// <summary>Coordinate-wise diameter Δcw = Σ_c max_{i,j} |x_i[c] − x_j[c]|.</summary>
    public static double DiameterCw(IReadOnlyList<ReadOnlyMemory<double>> vectors)
    {
        var d = CommonDimension(vectors, nameof(vectors));
        var k = vectors.Count;
        // Pooled, not stackalloc: zero-filling two stack chunks would cost as much as the work for small d.
        var hiBuffer = ArrayPool<double>.Shared.Rent(L1Chunk);
        var loBuffer = ArrayPool<double>.Shared.Rent(L1Chunk);
        try
        {
            var total = 0.0;
            var finite = true;
            for (var start = 0; start < d; start += L1Chunk)
            {
                var len = Math.Min(L1Chunk, d - start);
                var hi = hiBuffer.AsSpan(0, len);
                var lo = loBuffer.AsSpan(0, len);
                var first = vectors[0].Span.Slice(start, len);
                first.CopyTo(hi);
                first.CopyTo(lo);
                finite &= Extremes.Accumulate(hi, lo, first, first);
                var i = 1;
                for (; i + 1 < k; i += 2)
                {
                    finite &= Extremes.Accumulate(hi, lo, vectors[i].Span.Slice(start, len), vectors[i + 1].Span.Slice(start, len));
                }

                if (i < k)
                {
                    var last = vectors[i].Span.Slice(start, len);
                    finite &= Extremes.Accumulate(hi, lo, last, last);
                }

                total += Extremes.SumOfDifferences(hi, lo);
            }

            if (!finite || !double.IsFinite(total))
            {
                ThrowNonFinite(vectors, nameof(vectors));
            }

            return total;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(hiBuffer);
            ArrayPool<double>.Shared.Return(loBuffer);
        }
    }

    /// <summary>Euclidean diameter Δ₂ = max_{i,j} ‖x_i − x_j‖.</summary>
    public static double DiameterL2(IReadOnlyList<ReadOnlyMemory<double>> vectors)
    {
        CommonDimension(vectors, nameof(vectors));
        var k = vectors.Count;
        if (k == 1)
        {
            if (!AllFinite(vectors[0].Span))
            {
                ThrowNonFinite(vectors, nameof(vectors));
            }

            return 0;
        }

        var pairs = Pairwise.PairCount(k);
        Span<double> acc = pairs > Pairwise.MaxStackPairs ? new double[pairs] : stackalloc double[pairs];
        Pairwise.SquaredDistances(vectors, acc);
        var best = 0.0;
        var finite = true;
        foreach (var v in acc)
        {
            finite &= double.IsFinite(v);
            best = Math.Max(best, v);
        }

        if (!finite)
        {
            ThrowNonFinite(vectors, nameof(vectors));
        }

        return Math.Sqrt(best);
    }

    public static bool AllFinite(ReadOnlySpan<double> x) => TensorPrimitives.IsFiniteAll(x);

    /// <summary>
    /// Chunk length (doubles) for an algorithm that touches k vectors per chunk: k chunks fill about
    /// 256 KiB, half of a typical L2, so they stay cached while the chunk is processed.
    /// </summary>
    internal static int ChunkLength(int k) => Math.Clamp(32_768 / Math.Max(k, 1), 256, 4_096) & ~7;

    /// <summary>
    /// Chunk length (doubles) for a kernel that streams the inputs through one or two accumulator chunks:
    /// 1024 doubles (8 KiB each) keep the accumulators in L1 while the inputs stream past.
    /// </summary>
    internal const int L1Chunk = 1_024;

    /// <summary>Validates a non-empty list of equal-length vectors and returns the dimension.</summary>
    internal static int CommonDimension(IReadOnlyList<ReadOnlyMemory<double>> vectors, string paramName)
    {
        ArgumentNullException.ThrowIfNull(vectors, paramName);
        if (vectors.Count == 0)
        {
            throw new ArgumentException("At least one vector is required.", paramName);
        }

        var d = vectors[0].Length;
        for (var i = 1; i < vectors.Count; i++)
        {
            if (vectors[i].Length != d)
            {
                throw new ArgumentException(
                    $"Vector {i} has dimension {vectors[i].Length} but vector 0 has dimension {d}.", paramName);
            }
        }

        return d;
    }

    internal static void CheckDestination(int d, Span<double> destination)
    {
        if (destination.Length != d)
        {
            throw new ArgumentException(
                $"Destination has length {destination.Length} but the inputs have dimension {d}.",
                nameof(destination));
        }
    }

    /// <summary>Called after a reduction produced a non-finite value: says whether the inputs or the arithmetic is at fault.</summary>
    internal static void ThrowNonFinite(IReadOnlyList<ReadOnlyMemory<double>> vectors, string paramName)
    {
        for (var i = 0; i < vectors.Count; i++)
        {
            if (!AllFinite(vectors[i].Span))
            {
                throw new ArgumentException($"Vector {i} contains NaN or Infinity.", paramName);
            }
        }

        throw new ArgumentException(
            "The vectors are finite but their magnitudes overflow double precision in this computation.", paramName);
    }

    private static void CheckSameLength(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Lengths differ: {x.Length} and {y.Length}.", nameof(y));
        }
    }
}
