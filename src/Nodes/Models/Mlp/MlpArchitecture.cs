using System.Globalization;

namespace Decentral.Nodes.Models.Mlp;

/// <summary>The non-linearity of an MLP's hidden layers.</summary>
public enum MlpActivation
{
    /// <summary>max(z, 0); weights into a ReLU layer start with He's variance 2/fan_in.</summary>
    Relu,

    /// <summary>tanh(z); weights into a tanh layer start with Xavier's variance 2/(fan_in + fan_out).</summary>
    Tanh,
}

/// <summary>
/// The shape of a multi-layer perceptron: <see cref="Inputs"/> features, fully connected hidden layers
/// of the given widths with one activation, and an output layer for <see cref="Classes"/> classes —
/// K ≥ 3 classes: K outputs under a softmax cross-entropy; 2 classes: one output under the logistic
/// loss. No hidden layer at all is (multinomial) logistic regression, the linear baseline.
/// </summary>
/// <remarks>
/// <b>Parameter layout</b> (the flat vector the protocols average): layer by layer from the input,
/// each layer's weights W (fan_in × fan_out, row-major: the weight from input i to unit j at offset
/// i·fan_out + j) followed by its biases b (fan_out). <see cref="WeightOffset"/> and
/// <see cref="BiasOffset"/> give the offsets. <see cref="WeightDecay"/> λ adds (λ/2)·Σ‖W‖² over the
/// weights (not the biases) to the loss.
/// </remarks>
public sealed class MlpArchitecture
{
    /// <summary>Upper bound on any width, so a typo ("64-6400000-10") is an error rather than an out-of-memory.</summary>
    public const int MaxWidth = 1 << 20;

    private readonly int[] _widths; // inputs, hidden…, outputs
    private readonly int[] _offsets; // of each layer's W; its b follows at + fan_in·fan_out

    public MlpArchitecture(int inputs, IReadOnlyList<int> hidden, int classes, MlpActivation activation = MlpActivation.Relu, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        CheckWidth(inputs, nameof(inputs), "inputs");
        for (var i = 0; i < hidden.Count; i++)
        {
            CheckWidth(hidden[i], nameof(hidden), $"hidden layer {i + 1}");
        }
        if (classes is < 2 or > MaxWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"An MLP classifies into 2 … {MaxWidth} classes.");
        }
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
        if (!(weightDecay >= 0 && double.IsFinite(weightDecay)))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be finite and non-negative.");
        }

        Inputs = inputs;
        Hidden = [.. hidden];
        Classes = classes;
        Activation = activation;
        WeightDecay = weightDecay;
        _widths = [inputs, .. hidden, Outputs];
        _offsets = new int[Layers + 1];
        long offset = 0;
        for (var l = 0; l < Layers; l++)
        {
            _offsets[l] = (int)offset;
            offset += ((long)_widths[l] * _widths[l + 1]) + _widths[l + 1];
            if (offset > Array.MaxLength)
            {
                throw new ArgumentException($"{this} has more than {Array.MaxLength} parameters.", nameof(hidden));
            }
        }
        _offsets[Layers] = (int)offset;
    }

    public int Inputs { get; }

    public IReadOnlyList<int> Hidden { get; }

    public int Classes { get; }

    public MlpActivation Activation { get; }

    public double WeightDecay { get; }

    /// <summary>Units of the output layer: K for K ≥ 3 classes (softmax), 1 for two (logistic).</summary>
    public int Outputs => Classes == 2 ? 1 : Classes;

    /// <summary>Number of weight layers (hidden layers + 1).</summary>
    public int Layers => Hidden.Count + 1;

    /// <summary>Length of the parameter vector.</summary>
    public int ParameterCount => _offsets[Layers];

    /// <summary>Width of layer <paramref name="level"/>: 0 the inputs, 1 … Layers − 1 the hidden layers, Layers the outputs.</summary>
    public int Width(int level) => _widths[level];

    /// <summary>The widest layer (inputs included): what a row of the scratch buffers must hold.</summary>
    public int MaxLayerWidth => _widths.Max();

    /// <summary>Offset of weight layer <paramref name="layer"/>'s W (Width(layer) × Width(layer + 1), row-major).</summary>
    public int WeightOffset(int layer) => _offsets[layer];

    /// <summary>Offset of weight layer <paramref name="layer"/>'s biases (Width(layer + 1) values).</summary>
    public int BiasOffset(int layer) => _offsets[layer] + (_widths[layer] * _widths[layer + 1]);

    /// <summary>
    /// Multiply-adds of one example's forward pass, Σ fan_in·fan_out; a gradient costs about three times
    /// as many (forward, the weights' gradients, and the back-propagated errors below the top layer).
    /// </summary>
    public long ForwardMultiplyAdds
    {
        get
        {
            long sum = 0;
            for (var l = 0; l < Layers; l++)
            {
                sum += (long)_widths[l] * _widths[l + 1];
            }
            return sum;
        }
    }

    /// <summary>
    /// Parses "inputs-hidden…-classes", e.g. "64-64-10" (one hidden layer of 64) or "300-512-512-2";
    /// "64-10" has no hidden layer.
    /// </summary>
    public static MlpArchitecture Parse(string layers, MlpActivation activation = MlpActivation.Relu, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var parts = layers.Split('-', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
            {
                throw new FormatException($"'{layers}': layer {i + 1} ('{parts[i]}') is not a positive integer; expected inputs-hidden…-classes, e.g. 64-64-10.");
            }
        }
        if (widths.Length < 2)
        {
            throw new FormatException($"'{layers}': expected at least inputs-classes, e.g. 64-64-10.");
        }
        return new MlpArchitecture(widths[0], widths[1..^1], widths[^1], activation, weightDecay);
    }

    /// <summary>"mlp 64-64-10 relu" (with ", λ = …" when there is weight decay).</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var layers = string.Join('-', new[] { Inputs }.Concat(Hidden).Append(Classes).Select(w => w.ToString(inv)));
        var decay = WeightDecay > 0 ? string.Create(inv, $", λ = {WeightDecay:G4}") : "";
        return $"mlp {layers} {(Activation == MlpActivation.Relu ? "relu" : "tanh")}{decay}";
    }

    private static void CheckWidth(int width, string parameter, string what)
    {
        if (width is < 1 or > MaxWidth)
        {
            throw new ArgumentOutOfRangeException(parameter, width, $"The width of the {what} must lie in [1, {MaxWidth}].");
        }
    }
}
