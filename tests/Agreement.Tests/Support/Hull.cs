namespace Decentral.Agreement.Tests.Support;

/// <summary>
/// Distance from a point y to the convex hull of a point set, by Wolfe's minimum-norm-point algorithm on the
/// translated points x_i − y (an exact active-set method: finite termination, unlike plain Frank–Wolfe, whose
/// major step it shares). Independent of any weights the code under test reports: it searches them itself.
/// </summary>
internal static class Hull
{
    public static double Distance(IReadOnlyList<double[]> points, double[] y)
    {
        var k = points.Count;
        var p = points.Select(x => x.Zip(y, (a, b) => a - b).ToArray()).ToArray();
        var gram = new double[k, k];
        var maxG = 1e-300;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                gram[i, j] = gram[j, i] = Dot(p[i], p[j]);
            }

            maxG = Math.Max(maxG, gram[i, i]);
        }

        var start = 0;
        for (var i = 1; i < k; i++)
        {
            if (gram[i, i] < gram[start, start])
            {
                start = i;
            }
        }

        var corral = new List<int> { start };
        var w = new Dictionary<int, double> { [start] = 1 };
        for (var major = 0; major < 100 * (k + 10); major++)
        {
            // x = Σ w_i p_i; the most negative x·p_j names the next vertex (Frank–Wolfe direction).
            var xx = 0.0;
            foreach (var (i, wi) in w)
            {
                foreach (var (j, wj) in w)
                {
                    xx += wi * wj * gram[i, j];
                }
            }

            var best = -1;
            var bestDot = double.PositiveInfinity;
            for (var j = 0; j < k; j++)
            {
                var dot = 0.0;
                foreach (var (i, wi) in w)
                {
                    dot += wi * gram[i, j];
                }

                if (dot < bestDot)
                {
                    bestDot = dot;
                    best = j;
                }
            }

            if (bestDot >= xx - (1e-15 * maxG) || corral.Contains(best))
            {
                break;
            }

            corral.Add(best);
            w[best] = 0;
            for (var minor = 0; minor < 10 * (k + 10); minor++)
            {
                var alpha = AffineMinimum(gram, corral);
                if (alpha is null)
                {
                    // Affinely dependent corral (rounding): drop the newest point and stop improving.
                    corral.Remove(best);
                    w.Remove(best);
                    break;
                }

                if (alpha.All(a => a > 1e-14))
                {
                    for (var c = 0; c < corral.Count; c++)
                    {
                        w[corral[c]] = alpha[c];
                    }

                    break;
                }

                // Move from w towards alpha until the first weight hits zero; drop the zeroed points.
                var theta = 1.0;
                for (var c = 0; c < corral.Count; c++)
                {
                    var wi = w[corral[c]];
                    if (alpha[c] <= 1e-14 && wi - alpha[c] > 0)
                    {
                        theta = Math.Min(theta, wi / (wi - alpha[c]));
                    }
                }

                for (var c = 0; c < corral.Count; c++)
                {
                    w[corral[c]] = ((1 - theta) * w[corral[c]]) + (theta * alpha[c]);
                }

                foreach (var i in corral.Where(i => w[i] <= 1e-14).ToList())
                {
                    corral.Remove(i);
                    w.Remove(i);
                }

                var sum = w.Values.Sum();
                foreach (var i in corral)
                {
                    w[i] /= sum;
                }
            }
        }

        var x = new double[y.Length];
        foreach (var (i, wi) in w)
        {
            for (var c = 0; c < x.Length; c++)
            {
                x[c] += wi * p[i][c];
            }
        }

        return Math.Sqrt(Dot(x, x));
    }

    /// <summary>Weights α (Σα = 1) of the minimum-norm point of the corral's affine hull, or null when singular.</summary>
    private static double[]? AffineMinimum(double[,] gram, List<int> corral)
    {
        // [G 1; 1ᵀ 0] [α; λ] = [0; 1], by Gaussian elimination with partial pivoting.
        var n = corral.Count + 1;
        var a = new double[n, n + 1];
        for (var r = 0; r < corral.Count; r++)
        {
            for (var c = 0; c < corral.Count; c++)
            {
                a[r, c] = gram[corral[r], corral[c]];
            }

            a[r, n - 1] = 1;
            a[n - 1, r] = 1;
        }

        a[n - 1, n] = 1;
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(a[pivot, col]) < 1e-300)
            {
                return null;
            }

            for (var c = 0; c <= n; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var f = a[r, col] / a[col, col];
                for (var c = col; c <= n; c++)
                {
                    a[r, c] -= f * a[col, c];
                }
            }
        }

        var alpha = new double[corral.Count];
        for (var r = 0; r < corral.Count; r++)
        {
            alpha[r] = a[r, n] / a[r, r];
            if (!double.IsFinite(alpha[r]))
            {
                return null;
            }
        }

        return alpha;
    }

    private static double Dot(double[] x, double[] y)
    {
        var s = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            s += x[i] * y[i];
        }

        return s;
    }
}
