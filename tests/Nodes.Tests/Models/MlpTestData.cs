using Decentral.Agreement;
using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Models;

/// <summary>Small seeded data sets for the MLP tests.</summary>
internal static class MlpTestData
{
    /// <summary>
    /// Rows of <paramref name="features"/> values in [−1, 1]; sparse: each entry kept with probability 0.4
    /// (and row 0 empty). Labels: K ≥ 3 → class indices with a class map; K = 2 → ±1, or 0/1 when
    /// <paramref name="zeroOne"/>.
    /// </summary>
    public static Dataset Random(ulong seed, int rows, int features, int classes, bool sparse, bool zeroOne = false)
    {
        var random = new SeededRandom(seed);
        var pointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < features; j++)
            {
                var value = (2 * random.NextDouble()) - 1;
                if (!sparse || (r > 0 && random.Chance(0.4)))
                {
                    columns.Add(j);
                    values.Add(value);
                }
            }
            pointers.Add(values.Count);
            labels[r] = classes > 2 ? random.Next(classes) : random.Chance(0.5) ? 1 : zeroOne ? 0 : -1;
        }
        var map = classes > 2 ? new ClassMap(Enumerable.Range(0, classes).Select(c => (double)c)) : null;
        return new Dataset(features, [.. pointers], [.. columns], [.. values], labels, "random", map);
    }

    /// <summary>XOR: points uniform in [−1, 1]², label +1 where x·y &gt; 0 — no line separates the classes.</summary>
    public static Dataset Xor(ulong seed, int rows)
    {
        var random = new SeededRandom(seed);
        var points = new List<double[]>();
        var labels = new List<double>();
        while (points.Count < rows)
        {
            var (x, y) = ((2 * random.NextDouble()) - 1, (2 * random.NextDouble()) - 1);
            if (Math.Abs(x) < 0.1 || Math.Abs(y) < 0.1)
            {
                continue; // a margin around the axes, so a network can reach every point
            }
            points.Add([x, y]);
            labels.Add(x * y > 0 ? 1 : -1);
        }
        return Dataset.FromDense(points, labels, "xor");
    }

    /// <summary>Three interleaved spiral arms (class = arm), the classic non-linear multi-class toy set.</summary>
    public static Dataset Spirals(ulong seed, int perClass)
    {
        var random = new SeededRandom(seed);
        var points = new List<double[]>();
        var labels = new List<double>();
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var radius = (double)i / perClass;
                var angle = (c * 4.0) + (4.0 * radius) + (0.2 * random.NextGaussian());
                points.Add([radius * Math.Sin(angle), radius * Math.Cos(angle)]);
                labels.Add(c);
            }
        }
        return Dataset.FromDense(points, labels, "spirals", new ClassMap([0, 1, 2]));
    }

    public static int[] AllRows(Dataset data) => Enumerable.Range(0, data.Rows).ToArray();
}
