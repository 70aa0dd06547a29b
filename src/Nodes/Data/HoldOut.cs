using Decentral.Agreement;

namespace Decentral.Nodes.Data;

/// <summary>A data set split into the rows a run trains on and the rows it is tested on.</summary>
public sealed record TrainTestSplit(Dataset Train, Dataset Test);

/// <summary>
/// Holds out a test set drawn from the run seed: the same rows on every node and every run with that
/// seed, whatever the machine (the project's generator).
/// </summary>
public static class HoldOut
{
    /// <summary>The purpose the split's random stream is derived for (<see cref="SeededRandom.Derive(ulong, string)"/>).</summary>
    public const string Purpose = "holdout";

    /// <summary>
    /// A seeded permutation of the rows: its first round(<paramref name="testFraction"/>·N) rows are the
    /// test set, the others the training set. Each side keeps the rows in the order of
    /// <paramref name="data"/> (so `sharded` still splits the training rows as the file orders them, as
    /// without a hold-out); both are copies, <paramref name="data"/> is unchanged.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1), or leaves a side empty.</exception>
    public static TrainTestSplit Split(Dataset data, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1.");
        }
        var testRows = (int)Math.Round(testFraction * data.Rows, MidpointRounding.AwayFromZero);
        if (testRows < 1 || testRows > data.Rows - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction,
                $"A test fraction of {testFraction} of {data.Rows} rows holds out {testRows}; the training and the test set each need at least one row.");
        }

        var order = new int[data.Rows];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        new SeededRandom(SeededRandom.Derive(seed, Purpose)).Shuffle(order.AsSpan());
        var test = order.AsSpan(0, testRows);
        var train = order.AsSpan(testRows);
        test.Sort();
        train.Sort();
        return new TrainTestSplit(data.Select(train, $"{data.Name}[train]"), data.Select(test, $"{data.Name}[test]"));
    }
}
