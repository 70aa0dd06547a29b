using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models.Mlp;

namespace Decentral.Nodes.Models.Bench;

/// <summary>An MLP, data of the shape it trains on, and the mini-batches a measurement cycles through.</summary>
public sealed record BenchWorkload(MlpArchitecture Architecture, Dataset Data, int[][] Batches);

/// <summary>
/// The MLPs `decentral bench model` times, on synthetic data drawn from the project's generator with the
/// shapes of the real sets (the time of a gradient depends on the shapes and the sparsity, not on the
/// values): digits (1797 dense rows × 64 features in [−1, 1], 10 classes) under 64-64-10, and w8a
/// (300 binary features, 11.65 of them set per row on average — 12 here — and 3 % positive rows) under
/// 300-512-512-2.
/// </summary>
public static class BenchWorkloads
{
    public static IReadOnlyList<BenchWorkload> All => [Digits(), W8a()];

    public static BenchWorkload Digits(int batch = 64)
    {
        var random = new SeededRandom(SeededRandom.Derive(1, "bench-digits"));
        const int Rows = 1797, Features = 64, Classes = 10;
        var rows = new double[Rows][];
        var labels = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            rows[r] = new double[Features];
            for (var j = 0; j < Features; j++)
            {
                rows[r][j] = (2 * random.NextDouble()) - 1;
            }
            labels[r] = random.Next(Classes);
        }
        var data = Dataset.FromDense(rows, labels, "digits-shaped", new ClassMap(Enumerable.Range(0, Classes).Select(c => (double)c)));
        return new BenchWorkload(MlpArchitecture.Parse("64-64-10"), data, Batches(random, Rows, batch));
    }

    public static BenchWorkload W8a(int batch = 256)
    {
        var random = new SeededRandom(SeededRandom.Derive(1, "bench-w8a"));
        const int Rows = 4096, Features = 300, PerRow = 12;
        var pointers = new int[Rows + 1];
        var columns = new int[Rows * PerRow];
        var labels = new double[Rows];
        Span<int> all = new int[Features];
        for (var r = 0; r < Rows; r++)
        {
            for (var j = 0; j < Features; j++)
            {
                all[j] = j;
            }
            random.Shuffle(all);
            var picked = columns.AsSpan(r * PerRow, PerRow);
            all[..PerRow].CopyTo(picked);
            picked.Sort();
            pointers[r + 1] = (r + 1) * PerRow;
            labels[r] = random.Chance(0.03) ? 1 : -1;
        }
        var values = Enumerable.Repeat(1.0, columns.Length).ToArray();
        var data = new Dataset(Features, pointers, columns, values, labels, "w8a-shaped");
        return new BenchWorkload(MlpArchitecture.Parse("300-512-512-2"), data, Batches(random, Rows, batch));
    }

    private static int[][] Batches(SeededRandom random, int rows, int batch)
    {
        var batches = new int[16][];
        for (var b = 0; b < batches.Length; b++)
        {
            batches[b] = new int[batch];
            for (var i = 0; i < batch; i++)
            {
                batches[b][i] = random.Next(rows);
            }
        }
        return batches;
    }
}
