namespace Decentral.Nodes.Models.Kernels;

/// <summary>
/// Dense double-precision matrix multiply on row-major spans, in the forms a network's forward and
/// backward passes need: C = op(A)·op(B), or C += op(A)·op(B), where op(A) is m×k and op(B) is k×n.
/// With <c>transposeA</c>, A is stored as its k×m transpose (the gradient Xᵀ·δ reads X as stored); with
/// <c>transposeB</c>, B is stored n×k (δ·Wᵀ reads W as stored). Spans may be longer than needed (scratch
/// buffers sized for the largest batch); only the leading m·k, k·n and m·n entries are used. C must not
/// overlap A or B.
/// </summary>
public interface IMatrixMultiply
{
    /// <summary>A short name for reports (e.g. "blocked", "triple-loop").</summary>
    string Name { get; }

    /// <param name="accumulate">Add the product into <paramref name="c"/> instead of overwriting it.</param>
    void Multiply(ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> b, bool transposeB, Span<double> c, int m, int n, int k, bool accumulate);
}

/// <summary>The argument checks every <see cref="IMatrixMultiply"/> makes at its edge.</summary>
internal static class GemmArguments
{
    public static void Check(int aLength, int bLength, int cLength, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLength(aLength, (long)m * k, "a", "m·k", m, k);
        CheckLength(bLength, (long)k * n, "b", "k·n", k, n);
        CheckLength(cLength, (long)m * n, "c", "m·n", m, n);
    }

    private static void CheckLength(int length, long needed, string name, string shape, int rows, int columns)
    {
        if (length < needed)
        {
            throw new ArgumentException($"Matrix {name} holds {length} values, fewer than {shape} = {rows}·{columns} = {needed}.", name);
        }
    }
}
