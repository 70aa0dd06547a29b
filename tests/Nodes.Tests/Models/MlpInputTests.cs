using Decentral.Nodes.Data;
using Decentral.Nodes.Models.Mlp;

namespace Decentral.Nodes.Tests.Models;

public sealed class MlpInputTests
{
    private static readonly MlpModel Model = new(MlpArchitecture.Parse("4-5-3"));
    private static readonly Dataset Data = MlpTestData.Random(1, 10, 4, 3, sparse: false);
    private static readonly double[] X = new double[Model.Dimension];
    private static readonly double[] G = new double[Model.Dimension];

    [Fact]
    public void A_batch_index_out_of_range_names_its_position_and_the_rows()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.LossAndGradient(X, Data, [0, 3, 10], G));
        Assert.Equal("batch", e.ParamName);
        Assert.Contains("batch[2] = 10 is outside the rows [0, 10) of random", e.Message, StringComparison.Ordinal);

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => Model.Loss(X, Data, [-1]));
        Assert.Contains("batch[0] = -1", negative.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_batch_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Model.LossAndGradient(X, Data, [], G));
        Assert.Equal("batch", e.ParamName);
    }

    [Fact]
    public void Spans_of_the_wrong_length_name_the_span_and_the_dimension()
    {
        var parameters = Assert.Throws<ArgumentException>(() => Model.LossAndGradient(new double[Model.Dimension - 1], Data, [0], G));
        Assert.Equal("parameters", parameters.ParamName);
        Assert.Contains($"holds {Model.Dimension - 1} values; mlp 4-5-3 relu has {Model.Dimension} parameters", parameters.Message, StringComparison.Ordinal);

        var gradient = Assert.Throws<ArgumentException>(() => Model.LossAndGradient(X, Data, [0], new double[Model.Dimension + 1]));
        Assert.Equal("gradient", gradient.ParamName);

        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => Model.InitializeParameters(1, new double[3])).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => Model.Evaluate(new double[3], Data)).ParamName);
    }

    [Fact]
    public void Data_of_another_width_or_class_count_is_rejected()
    {
        var wide = MlpTestData.Random(1, 10, 5, 3, sparse: false);
        var e = Assert.Throws<ArgumentException>(() => Model.Loss(X, wide, [0]));
        Assert.Contains("random has 5 features; mlp 4-5-3 relu takes 4 inputs", e.Message, StringComparison.Ordinal);

        var fourClasses = MlpTestData.Random(1, 10, 4, 4, sparse: false);
        var classes = Assert.Throws<ArgumentException>(() => Model.Loss(X, fourClasses, [0]));
        Assert.Contains("has 4 classes; mlp 4-5-3 relu classifies into 3", classes.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(1.5)]
    [InlineData(-1.0)]
    public void A_multi_class_label_that_is_not_a_class_index_names_the_row(double label)
    {
        var data = Dataset.FromDense([[1, 2, 3, 4.0], [1, 0, 0, 0.0]], [0, label], "labels");
        var e = Assert.Throws<ArgumentException>(() => Model.Loss(X, data, [0, 1]));
        Assert.Contains("Row 1 of labels has label", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a class index in [0, 3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_model_takes_plus_minus_one_or_zero_one_and_rejects_other_labels()
    {
        var binary = new MlpModel(MlpArchitecture.Parse("2-3-2"));
        var x = new double[binary.Dimension];
        binary.InitializeParameters(2, x);
        var plusMinus = Dataset.FromDense([[1, 2.0], [3, 4.0]], [1, -1]);
        var zeroOne = Dataset.FromDense([[1, 2.0], [3, 4.0]], [1, 0]);
        Assert.Equal(binary.Loss(x, plusMinus, [0, 1]), binary.Loss(x, zeroOne, [0, 1]));

        var bad = Dataset.FromDense([[1, 2.0], [3, 4.0]], [1, 2], "bad");
        var e = Assert.Throws<ArgumentException>(() => binary.Loss(x, bad, [0, 1]));
        Assert.Contains("Row 1 of bad has label 2; a two-class MLP needs labels ±1 or 0/1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("64", "at least inputs-classes")]
    [InlineData("64-x-10", "layer 2 ('x') is not a positive integer")]
    [InlineData("64-0-10", "layer 2 ('0')")]
    [InlineData("", "layer 1")]
    public void A_malformed_layer_list_is_a_format_error(string layers, string problem)
    {
        var e = Assert.Throws<FormatException>(() => MlpArchitecture.Parse(layers));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_impossible_architecture_is_an_argument_error()
    {
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpArchitecture(4, [3], 1)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpArchitecture(4, [3], 3, weightDecay: -1)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpArchitecture(4, [3], 3, weightDecay: double.NaN)).ParamName);
        Assert.Equal("hidden", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpArchitecture(4, [3, 0], 3)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentOutOfRangeException>(() => new MlpArchitecture(0, [], 3)).ParamName);
        Assert.Throws<ArgumentException>(() => new MlpArchitecture(MlpArchitecture.MaxWidth, [MlpArchitecture.MaxWidth], 3));
    }

    [Fact]
    public void Names_say_layers_activation_and_decay()
    {
        Assert.Equal("mlp 64-64-10 relu", MlpArchitecture.Parse("64-64-10").ToString());
        Assert.Equal("mlp 300-512-512-2 tanh, λ = 0.001", new MlpModel(MlpArchitecture.Parse("300-512-512-2", MlpActivation.Tanh, 1e-3)).Name);
        Assert.Equal(1, MlpArchitecture.Parse("300-512-512-2").Outputs);
        Assert.Equal(417_281, MlpArchitecture.Parse("300-512-512-2").ParameterCount);
    }

    [Fact]
    public void Evaluate_reports_loss_and_accuracy_of_a_hand_set_linear_model()
    {
        // No hidden layer, two classes: score = x₀ (w = [1, 0], b = 0); rows 0 and 2 are classified right.
        var model = new MlpModel(MlpArchitecture.Parse("2-2"));
        var data = Dataset.FromDense([[2.0, 9], [1.0, 9], [-3.0, 9]], [1, -1, -1], "hand");
        double[] x = [1, 0, 0];

        var evaluation = model.Evaluate(x, data);

        Assert.Equal(2.0 / 3, evaluation.Accuracy, 15);
        var expected = (Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(1)) + Math.Log(1 + Math.Exp(-3))) / 3;
        Assert.Equal(expected, evaluation.Loss, 14);
        Assert.True(evaluation.HasAccuracy);
    }

    [Fact]
    public void Extreme_scores_give_finite_losses_and_gradients()
    {
        var model = new MlpModel(MlpArchitecture.Parse("1-3"));
        double[] x = [1000, -1000, 0, 0, 0, 0]; // W (1×3) then b (3)
        var data = Dataset.FromDense([[1.0], [1.0]], [1, 0], "extreme", new ClassMap([0, 1, 2]));
        var g = new double[model.Dimension];

        var loss = model.LossAndGradient(x, data, [0, 1], g);

        Assert.Equal(1000.0, loss, 9); // mean of row 0: log Σ e^z − z₁ = 1000 − (−1000), row 1: 1000 − 1000
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
    }
}
