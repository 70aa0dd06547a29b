namespace Decentral.Nodes.Models.Kernels;

/// <summary>
/// The plain triple loop: c_ij = Σ_p a_ip·b_pj, one dot product per entry of C, no blocking, no
/// vectors. The reference the blocked kernel is tested against and the baseline it is measured against
/// (`decentral bench model`).
/// </summary>
public sealed class TripleLoopGemm : IMatrixMultiply
{
    public string Name => "triple-loop";

    public void Multiply(ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> b, bool transposeB, Span<double> c, int m, int n, int k, bool accumulate)
    {
        GemmArguments.Check(a.Length, b.Length, c.Length, m, n, k);
        // Strides of op(A)(i, p) and op(B)(p, j) in the stored layouts.
        var (aRow, aColumn) = transposeA ? (1, m) : (k, 1);
        var (bRow, bColumn) = transposeB ? (1, k) : (n, 1);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++)
                {
                    sum += a[(i * aRow) + (p * aColumn)] * b[(p * bRow) + (j * bColumn)];
                }
                c[(i * n) + j] = accumulate ? c[(i * n) + j] + sum : sum;
            }
        }
    }
}
