using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models.Mlp;

namespace Decentral.Nodes.Tests.Models;

public sealed class MlpGradientTests
{
    private const double Step = 1e-6;

    /// <summary>Per coordinate |g − fd| ≤ 1e-6·max(1e-1, |g|, |fd|): central differences at h = 1e-6 are good to ~1e-9 here.</summary>
    private static bool Agrees(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) <= 1e-6 * Math.Max(0.1, Math.Max(Math.Abs(analytic), Math.Abs(numeric)));

    private static (double[] Analytic, double[] Numeric, double Loss, double LossOfGradientCall) Gradients(MlpModel model, Dataset data, int[] batch, ulong seed)
    {
        var x = new double[model.Dimension];
        model.InitializeParameters(seed, x);
        var random = new SeededRandom(seed + 1);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += 0.1 * random.NextGaussian(); // non-zero biases, so their gradients are tested off the origin
        }
        var analytic = new double[model.Dimension];
        var value = model.LossAndGradient(x, data, batch, analytic);
        var numeric = new double[model.Dimension];
        for (var i = 0; i < x.Length; i++)
        {
            var keep = x[i];
            x[i] = keep + Step;
            var up = model.Loss(x, data, batch);
            x[i] = keep - Step;
            var down = model.Loss(x, data, batch);
            x[i] = keep;
            numeric[i] = (up - down) / (2 * Step);
        }
        return (analytic, numeric, model.Loss(x, data, batch), value);
    }

    public static TheoryData<string, MlpActivation, bool, bool, double, int> Cases => new()
    {
        // layers, activation, sparse input, 0/1 labels (binary), weight decay, batch size
        { "5-4-3", MlpActivation.Relu, false, false, 0.0, 24 },
        { "5-4-3", MlpActivation.Tanh, true, false, 0.1, 24 },
        { "6-5-4-2", MlpActivation.Relu, true, false, 0.05, 20 },
        { "6-7-2", MlpActivation.Tanh, false, true, 0.0, 30 },
        { "6-3-5-4", MlpActivation.Tanh, false, false, 0.01, 300 }, // more than one block of 256 rows
        { "5-3", MlpActivation.Relu, true, false, 0.2, 16 },        // no hidden layer: softmax regression
        { "4-2", MlpActivation.Relu, false, false, 0.0, 16 },       // no hidden layer: logistic regression
        { "3-9-8-4", MlpActivation.Relu, false, false, 0.0, 12 },   // widths not multiples of the kernel's tiles
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_central_finite_differences(string layers, MlpActivation activation, bool sparse, bool zeroOne, double decay, int batchSize)
    {
        var architecture = MlpArchitecture.Parse(layers, activation, decay);
        var model = new MlpModel(architecture);
        var data = MlpTestData.Random(42, 40, architecture.Inputs, architecture.Classes, sparse, zeroOne);
        var random = new SeededRandom(7);
        var batch = Enumerable.Range(0, batchSize).Select(_ => random.Next(data.Rows)).ToArray(); // repeats included

        var (analytic, numeric, loss, returned) = Gradients(model, data, batch, seed: 3);

        Assert.Equal(loss, returned); // the value that comes with the gradient is the loss, bit for bit
        var wrong = Enumerable.Range(0, analytic.Length).Where(i => !Agrees(analytic[i], numeric[i])).ToList();
        Assert.True(wrong.Count == 0,
            $"{model.Name}: {wrong.Count} of {analytic.Length} gradient coordinates disagree, e.g. [{wrong.FirstOrDefault()}] analytic {analytic[wrong.FirstOrDefault()]:R} vs numeric {numeric[wrong.FirstOrDefault()]:R}");
        var norm = Math.Sqrt(numeric.Sum(v => v * v));
        var error = Math.Sqrt(analytic.Zip(numeric, (a, n) => (a - n) * (a - n)).Sum());
        Assert.True(error <= 1e-7 * norm, $"relative error {error / norm:E2}");
    }

    [Fact]
    public void The_check_catches_a_missing_term()
    {
        // The analytic gradient without the weight decay, against differences of the loss with it:
        // the bound above must reject it, or it could not catch a wrong term either.
        var data = MlpTestData.Random(5, 30, 5, 3, sparse: false);
        var batch = MlpTestData.AllRows(data);
        var with = new MlpModel(MlpArchitecture.Parse("5-4-3", MlpActivation.Tanh, weightDecay: 0.01));
        var without = new MlpModel(MlpArchitecture.Parse("5-4-3", MlpActivation.Tanh));
        var (_, numeric, _, _) = Gradients(with, data, batch, seed: 9);
        var (analytic, _, _, _) = Gradients(without, data, batch, seed: 9);

        Assert.Contains(Enumerable.Range(0, analytic.Length), i => !Agrees(analytic[i], numeric[i]));
    }

    [Fact]
    public void A_batch_loss_is_the_mean_of_its_rows_losses_plus_the_decay()
    {
        var architecture = MlpArchitecture.Parse("4-6-3", MlpActivation.Relu, weightDecay: 0.3);
        var model = new MlpModel(architecture);
        var plain = new MlpModel(MlpArchitecture.Parse("4-6-3", MlpActivation.Relu));
        var data = MlpTestData.Random(8, 600, 4, 3, sparse: true);
        var x = new double[model.Dimension];
        model.InitializeParameters(4, x);
        var rows = MlpTestData.AllRows(data);

        var mean = rows.Average(r => plain.Loss(x, data, [r]));
        var decay = 0.0;
        for (var l = 0; l < architecture.Layers; l++)
        {
            decay += x.AsSpan(architecture.WeightOffset(l), architecture.Width(l) * architecture.Width(l + 1)).ToArray().Sum(w => w * w);
        }

        Assert.Equal(mean + (0.15 * decay), model.Loss(x, data, rows), 12);
        Assert.Equal(model.Loss(x, data, rows), model.Evaluate(x, data).Loss, 12);
    }

    [Fact]
    public void A_steady_state_gradient_allocates_nothing()
    {
        var model = new MlpModel(MlpArchitecture.Parse("6-8-8-3", MlpActivation.Tanh, weightDecay: 0.01));
        var data = MlpTestData.Random(2, 600, 6, 3, sparse: true);
        var x = new double[model.Dimension];
        var g = new double[model.Dimension];
        model.InitializeParameters(1, x);
        var rows = MlpTestData.AllRows(data);
        model.LossAndGradient(x, data, rows, g); // the first call sizes the scratch buffers
        model.Evaluate(x, data);

        var before = GC.GetAllocatedBytesForCurrentThread();
        model.LossAndGradient(x, data, rows, g);
        model.LossAndGradient(x, data, rows.AsSpan(0, 17), g);
        model.Loss(x, data, rows);
        model.Evaluate(x, data);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
