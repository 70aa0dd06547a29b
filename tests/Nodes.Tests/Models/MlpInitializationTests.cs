using Decentral.Nodes.Models.Mlp;

namespace Decentral.Nodes.Tests.Models;

public sealed class MlpInitializationTests
{
    private static double[] Initial(MlpModel model, ulong seed)
    {
        var x = new double[model.Dimension];
        x.AsSpan().Fill(double.NaN); // every coordinate must be written
        model.InitializeParameters(seed, x);
        return x;
    }

    [Fact]
    public void Initial_parameters_are_a_function_of_the_seed()
    {
        var architecture = MlpArchitecture.Parse("20-16-8-3");
        var one = new MlpModel(architecture);

        var a = Initial(one, 17);
        var again = Initial(one, 17);
        var elsewhere = Initial(new MlpModel(MlpArchitecture.Parse("20-16-8-3")), 17);
        var other = Initial(one, 18);

        Assert.Equal(a, again);
        Assert.Equal(a, elsewhere); // another instance (another node) starts from the same model
        Assert.All(a, v => Assert.True(double.IsFinite(v)));
        var differing = a.Zip(other).Count(p => p.First != p.Second);
        Assert.True(differing > a.Length * 0.9, $"only {differing} of {a.Length} weights differ between seeds 17 and 18");
    }

    [Theory]
    [InlineData(MlpActivation.Relu)]
    [InlineData(MlpActivation.Tanh)]
    public void Weights_have_he_or_xavier_variance_and_biases_start_at_zero(MlpActivation activation)
    {
        var architecture = MlpArchitecture.Parse("300-512-256-10", activation);
        var model = new MlpModel(architecture);
        var x = Initial(model, 5);

        for (var l = 0; l < architecture.Layers; l++)
        {
            var (fanIn, fanOut) = (architecture.Width(l), architecture.Width(l + 1));
            var expected = activation == MlpActivation.Relu && l < architecture.Layers - 1
                ? 2.0 / fanIn                // He, into a ReLU layer
                : 2.0 / (fanIn + fanOut);    // Xavier, into tanh or the output layer
            Assert.Equal(Math.Sqrt(expected), model.InitialDeviation(l), 15);
            var weights = x.AsSpan(architecture.WeightOffset(l), fanIn * fanOut).ToArray();
            var mean = weights.Average();
            var variance = weights.Average(w => (w - mean) * (w - mean));
            // The sample variance of n normals has relative standard deviation √(2/n): 4 of those.
            var tolerance = 4 * Math.Sqrt(2.0 / weights.Length);
            Assert.True(Math.Abs((variance / expected) - 1) < tolerance,
                $"layer {l}: variance {variance:E3}, expected {expected:E3} (±{tolerance:P1})");
            Assert.True(Math.Abs(mean) < 4 * Math.Sqrt(expected / weights.Length), $"layer {l}: mean {mean:E3}");
            Assert.All(x.AsSpan(architecture.BiasOffset(l), fanOut).ToArray(), b => Assert.Equal(0.0, b));
        }
    }

    [Fact]
    public void Layout_is_each_layers_weights_row_major_then_its_biases()
    {
        var architecture = MlpArchitecture.Parse("3-4-2");

        Assert.Equal((3 * 4) + 4 + (4 * 1) + 1, architecture.ParameterCount); // two classes: one output
        Assert.Equal(0, architecture.WeightOffset(0));
        Assert.Equal(12, architecture.BiasOffset(0));
        Assert.Equal(16, architecture.WeightOffset(1));
        Assert.Equal(20, architecture.BiasOffset(1));

        // Weight (input i → unit j) of layer 0 sits at i·fan_out + j: set one, see which score moves.
        var model = new MlpModel(MlpArchitecture.Parse("3-4-5", MlpActivation.Relu));
        var x = new double[model.Dimension];
        x[(2 * 4) + 1] = 1.0;                                            // input 2 → hidden unit 1
        x[model.Architecture.WeightOffset(1) + (1 * 5) + 3] = 1.0;       // hidden unit 1 → output 3
        var data = Decentral.Nodes.Data.Dataset.FromDense([[0, 0, 5.0]], [3], "one", new Decentral.Nodes.Data.ClassMap([0, 1, 2, 3, 4]));
        var evaluation = model.Evaluate(x, data);
        Assert.Equal(1.0, evaluation.Accuracy); // output 3 scores 5, the others 0
        Assert.Equal(Math.Log(4 + Math.Exp(5)) - 5, evaluation.Loss, 12);
    }
}
