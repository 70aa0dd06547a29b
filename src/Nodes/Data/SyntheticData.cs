using Decentral.Agreement;

namespace Decentral.Nodes.Data;

/// <summary>A generated data set together with the model that generated it.</summary>
public sealed record SyntheticProblem(Dataset Data, IReadOnlyList<double> TrueModel);

/// <summary>Seeded generators for test and benchmark problems (same seed ⇒ same data).</summary>
public static class SyntheticData
{
    /// <summary>
    /// Logistic-regression data with a planted model: x_true ~ N(0, I)·scale/√(d·density), features
    /// a_ij ~ N(0, 1) kept with probability <paramref name="density"/>, and label +1 with probability
    /// σ(aᵀx_true) (−1 otherwise) — a well-specified logistic model, so the fitted model approaches x_true.
    /// </summary>
    /// <param name="scale">Size of the typical margin aᵀx_true (larger ⇒ more separable data).</param>
    public static SyntheticProblem Logistic(int rows, int dimension, ulong seed, double density = 1.0, double scale = 2.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(density > 0 && density <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(density), density, "Density must lie in (0, 1].");
        }
        if (!(scale > 0 && double.IsFinite(scale)))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Scale must be positive and finite.");
        }
        var random = new SeededRandom(SeededRandom.Derive(seed, SeedPurpose.Synthetic, 1));
        var truth = new double[dimension];
        var norm = scale / Math.Sqrt(dimension * density);
        for (var j = 0; j < dimension; j++)
        {
            truth[j] = random.NextGaussian() * norm;
        }

        var pointers = new int[rows + 1];
        var columns = new List<int>();
        var values = new List<double>();
        var labels = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var margin = 0.0;
            for (var j = 0; j < dimension; j++)
            {
                if (density < 1 && random.NextDouble() >= density)
                {
                    continue;
                }
                var v = random.NextGaussian();
                columns.Add(j);
                values.Add(v);
                margin += v * truth[j];
            }
            pointers[i + 1] = values.Count;
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-margin)) ? 1.0 : -1.0;
        }
        var data = new Dataset(dimension, pointers, [.. columns], [.. values], labels, $"synthetic-logistic-{rows}x{dimension}-seed{seed}");
        return new SyntheticProblem(data, truth);
    }

    /// <summary>
    /// Random least squares as in Mishchenko et al.'s experiment: A ~ U(0,1)/√d (dense), x_true ~ N(0, I),
    /// b = A x_true + noise·N(0, 1). Labels hold b (regression targets).
    /// </summary>
    public static SyntheticProblem LeastSquares(int rows, int dimension, ulong seed, double noise = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!(noise >= 0 && double.IsFinite(noise)))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "Noise must be non-negative and finite.");
        }
        var random = new SeededRandom(SeededRandom.Derive(seed, SeedPurpose.Synthetic, 2));
        var truth = new double[dimension];
        for (var j = 0; j < dimension; j++)
        {
            truth[j] = random.NextGaussian();
        }
        var scale = 1 / Math.Sqrt(dimension);
        var pointers = new int[rows + 1];
        var columns = new int[(long)rows * dimension > int.MaxValue ? throw new ArgumentOutOfRangeException(nameof(rows), "Too many entries.") : rows * dimension];
        var values = new double[columns.Length];
        var targets = new double[rows];
        var k = 0;
        for (var i = 0; i < rows; i++)
        {
            var b = 0.0;
            for (var j = 0; j < dimension; j++, k++)
            {
                var v = random.NextDouble() * scale;
                columns[k] = j;
                values[k] = v;
                b += v * truth[j];
            }
            pointers[i + 1] = k;
            targets[i] = b + (noise > 0 ? noise * random.NextGaussian() : 0);
        }
        var data = new Dataset(dimension, pointers, columns, values, targets, $"synthetic-least-squares-{rows}x{dimension}-seed{seed}");
        return new SyntheticProblem(data, truth);
    }
}
