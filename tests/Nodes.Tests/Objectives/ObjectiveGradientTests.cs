using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.Tests.Objectives;

public sealed class ObjectiveGradientTests
{
    private const ulong Seed = 20240917;

    public static TheoryData<string> Kinds => new() { "nonconvex", "l2", "squares", "squares-l2" };

    internal static IObjective Make(string kind, Dataset data) => kind switch
    {
        "nonconvex" => Glms.LogisticNonConvex(data, 0.1),
        "l2" => Glms.LogisticL2(data, 0.01),
        "squares" => Glms.LeastSquares(data),
        "squares-l2" => Glms.LeastSquares(data, 0.05),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    internal static Dataset SmallData() => SyntheticData.Logistic(40, 7, Seed, density: 0.6).Data;

    internal static double[] RandomPoint(int d, ulong seed, double scale = 1)
    {
        var random = new SeededRandom(seed);
        var x = new double[d];
        for (var j = 0; j < d; j++)
        {
            x[j] = (2 * random.NextDouble() - 1) * scale;
        }
        return x;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Full_gradient_matches_central_finite_differences(string kind)
    {
        var objective = Make(kind, SmallData());
        var x = RandomPoint(objective.Dimension, Seed + 1);
        var g = new double[objective.Dimension];
        var value = objective.Gradient(x, g);

        Assert.Equal(objective.Value(x), value, 12);
        AssertMatchesFiniteDifferences(x, g, p => objective.Value(p), $"{kind}, seed {Seed}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mini_batch_gradient_matches_finite_differences_of_mini_batch_value(string kind)
    {
        var objective = Make(kind, SmallData());
        var x = RandomPoint(objective.Dimension, Seed + 2);
        int[] rows = [3, 5, 17, 39];
        var g = new double[objective.Dimension];
        var value = objective.MiniBatchGradient(x, rows, g);

        Assert.Equal(objective.MiniBatchValue(x, rows), value, 12);
        AssertMatchesFiniteDifferences(x, g, p => objective.MiniBatchValue(p, rows), $"{kind}, seed {Seed}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mini_batch_over_all_rows_equals_the_full_objective(string kind)
    {
        var objective = Make(kind, SmallData());
        var x = RandomPoint(objective.Dimension, Seed + 3);
        var all = Enumerable.Range(0, objective.Rows).ToArray();
        var full = new double[objective.Dimension];
        var batch = new double[objective.Dimension];

        Assert.Equal(objective.Gradient(x, full), objective.MiniBatchGradient(x, all, batch), 12);
        for (var j = 0; j < full.Length; j++)
        {
            Assert.Equal(full[j], batch[j], 12);
        }
    }

    [Fact]
    public void Wrong_lengths_and_empty_batches_are_rejected()
    {
        var objective = Make("l2", SmallData());
        var ok = new double[objective.Dimension];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => objective.Value(new double[3])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => objective.Gradient(ok, new double[3])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => objective.MiniBatchValue(ok, [])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => objective.MiniBatchValue(ok, [objective.Rows]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Glms.LogisticL2(SmallData(), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Glms.LeastSquares(SmallData(), double.NaN));
    }

    [Fact]
    public void Logistic_objectives_reject_labels_other_than_plus_minus_one()
    {
        var data = Dataset.FromDense([[1.0], [2.0]], [0.0, 1.0]);
        Assert.Throws<ArgumentException>(() => Glms.LogisticL2(data, 0.1));
        Assert.Throws<ArgumentException>(() => Glms.LogisticNonConvex(data, 0.1));
        _ = Glms.LeastSquares(data); // regression targets are fine
    }

    internal static void AssertMatchesFiniteDifferences(double[] x, double[] gradient, Func<double[], double> f, string context)
    {
        const double h = 1e-6;
        for (var j = 0; j < x.Length; j++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            var numeric = (f(plus) - f(minus)) / (2 * h);
            // Central differences: O(h²) truncation plus O(ε/h) rounding.
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-7 * (1 + Math.Abs(numeric)),
                $"{context}: coordinate {j}: analytic {gradient[j]:R}, numeric {numeric:R}");
        }
    }
}
