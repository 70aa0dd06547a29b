using Decentral.Nodes.Data;

namespace Decentral.TestKit;

/// <summary>Data sets for tests: synthetic ones drawn from a seed (the same on every machine) and LIBSVM files.</summary>
public static class TestData
{
    /// <summary>
    /// A separable-with-noise binary classification set: <paramref name="rows"/> dense rows of
    /// <paramref name="features"/> features, labels ±1, drawn from <paramref name="seed"/>.
    /// </summary>
    public static Dataset Logistic(int rows, int features, ulong seed) => SyntheticData.Logistic(rows, features, seed).Data;

    /// <summary>A linear regression set (labels = ⟨w, x⟩ plus noise 1e-5), drawn from <paramref name="seed"/>.</summary>
    public static Dataset LeastSquares(int rows, int features, ulong seed) => SyntheticData.LeastSquares(rows, features, seed).Data;

    /// <summary>Reads a LIBSVM file; a malformed line throws an error naming file and line.</summary>
    public static Dataset FromLibSvm(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return LibSvmReader.Read(Path.GetFullPath(path));
    }
}
