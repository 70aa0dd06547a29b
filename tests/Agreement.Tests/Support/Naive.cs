namespace Decentral.Agreement.Tests.Support;

/// <summary>Textbook loops: the independent computations the optimised kernels are checked against.</summary>
internal static class Naive
{
    public static double[] Mean(IReadOnlyList<double[]> xs)
    {
        var d = xs[0].Length;
        var result = new double[d];
        for (var c = 0; c < d; c++)
        {
            var s = 0.0;
            foreach (var x in xs)
            {
                s += x[c];
            }

            result[c] = s / xs.Count;
        }

        return result;
    }

    public static double SquaredDistance(double[] x, double[] y)
    {
        var s = 0.0;
        for (var c = 0; c < x.Length; c++)
        {
            s += (x[c] - y[c]) * (x[c] - y[c]);
        }

        return s;
    }

    public static double DiameterCw(IReadOnlyList<double[]> xs)
    {
        var total = 0.0;
        for (var c = 0; c < xs[0].Length; c++)
        {
            var worst = 0.0;
            foreach (var a in xs)
            {
                foreach (var b in xs)
                {
                    worst = Math.Max(worst, Math.Abs(a[c] - b[c]));
                }
            }

            total += worst;
        }

        return total;
    }

    public static double DiameterL2(IReadOnlyList<double[]> xs)
    {
        var worst = 0.0;
        foreach (var a in xs)
        {
            foreach (var b in xs)
            {
                worst = Math.Max(worst, SquaredDistance(a, b));
            }
        }

        return Math.Sqrt(worst);
    }

    /// <summary>The farthest pair by plain double loop, first (lowest (i, j)) on ties.</summary>
    public static (int I, int J) FarthestPair(IReadOnlyList<double[]> xs)
    {
        var best = (0, 0);
        var bestD = -1.0;
        for (var i = 0; i < xs.Count; i++)
        {
            for (var j = i + 1; j < xs.Count; j++)
            {
                var dist = SquaredDistance(xs[i], xs[j]);
                if (dist > bestD)
                {
                    bestD = dist;
                    best = (i, j);
                }
            }
        }

        return xs.Count == 1 ? (0, 0) : best;
    }

    /// <summary>Per coordinate: sort, drop <paramref name="drop"/> at each end, average the rest.</summary>
    public static double[] TrimmedAverage(IReadOnlyList<double[]> xs, int drop)
    {
        var d = xs[0].Length;
        var result = new double[d];
        for (var c = 0; c < d; c++)
        {
            var column = xs.Select(x => x[c]).OrderBy(v => v).ToArray();
            var kept = column.Skip(drop).Take(column.Length - (2 * drop)).ToArray();
            result[c] = kept.Average();
        }

        return result;
    }

    public static double[] WeightedSum(IReadOnlyList<double[]> xs, IReadOnlyList<double> w)
    {
        var result = new double[xs[0].Length];
        for (var i = 0; i < xs.Count; i++)
        {
            for (var c = 0; c < result.Length; c++)
            {
                result[c] += w[i] * xs[i][c];
            }
        }

        return result;
    }

    public static double MaxAbsDifference(double[] a, double[] b)
    {
        var worst = 0.0;
        for (var c = 0; c < a.Length; c++)
        {
            worst = Math.Max(worst, Math.Abs(a[c] - b[c]));
        }

        return worst;
    }
}
