using Decentral.Nodes.Data;
using Decentral.Nodes.Models.Mlp;

namespace Decentral.Nodes.Tests.Models;

public sealed class MlpTrainingTests
{
    /// <summary>Plain full-batch gradient descent x ← x − η∇f(x) from the seeded start; returns the final evaluation.</summary>
    private static Decentral.Nodes.Models.ModelEvaluation Train(MlpModel model, Dataset data, double step, int iterations)
    {
        var x = new double[model.Dimension];
        var g = new double[model.Dimension];
        model.InitializeParameters(1, x);
        var batch = MlpTestData.AllRows(data);
        for (var t = 0; t < iterations; t++)
        {
            model.LossAndGradient(x, data, batch, g);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] -= step * g[i];
            }
        }
        return model.Evaluate(x, data);
    }

    [Fact]
    public void An_mlp_learns_xor_which_a_linear_model_cannot()
    {
        var data = MlpTestData.Xor(3, 300);

        var mlp = Train(new MlpModel(MlpArchitecture.Parse("2-16-16-2", MlpActivation.Tanh)), data, 0.5, 1500);
        var linear = Train(new MlpModel(MlpArchitecture.Parse("2-2")), data, 0.5, 1500);

        Assert.True(mlp.Accuracy >= 0.97, $"mlp accuracy {mlp.Accuracy:P1}, loss {mlp.Loss:F4}");
        // A line gets at most three quadrants of four right (here it reaches 69 %).
        Assert.True(linear.Accuracy <= 0.78, $"linear accuracy {linear.Accuracy:P1}");
        Assert.True(mlp.Loss < linear.Loss / 4, $"losses {mlp.Loss:F4} vs {linear.Loss:F4}");
    }

    [Fact]
    public void A_relu_mlp_separates_three_spirals_which_softmax_regression_cannot()
    {
        var data = MlpTestData.Spirals(4, 100);

        var mlp = Train(new MlpModel(MlpArchitecture.Parse("2-64-64-3", MlpActivation.Relu, weightDecay: 1e-4)), data, 0.5, 2000);
        var linear = Train(new MlpModel(MlpArchitecture.Parse("2-3")), data, 0.5, 2000);

        Assert.True(mlp.Accuracy >= 0.95, $"mlp accuracy {mlp.Accuracy:P1}, loss {mlp.Loss:F4}");
        Assert.True(linear.Accuracy <= 0.65, $"linear accuracy {linear.Accuracy:P1}");
    }
}
