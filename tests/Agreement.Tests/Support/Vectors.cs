namespace Decentral.Agreement.Tests.Support;

internal static class Vectors
{
    public static double[][] Random(Random rng, int count, int dimension, double scale = 1)
    {
        var result = new double[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = new double[dimension];
            for (var c = 0; c < dimension; c++)
            {
                result[i][c] = scale * ((2 * rng.NextDouble()) - 1);
            }
        }

        return result;
    }

    public static List<ReadOnlyMemory<double>> Memories(IEnumerable<double[]> xs) =>
        xs.Select(x => (ReadOnlyMemory<double>)x).ToList();
}
