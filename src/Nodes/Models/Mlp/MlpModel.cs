using System.Numerics.Tensors;
using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models.Kernels;

namespace Decentral.Nodes.Models.Mlp;

/// <summary>
/// A multi-layer perceptron classifier (<see cref="MlpArchitecture"/>) as an <see cref="IModel"/>: the
/// mean softmax cross-entropy (K ≥ 3 classes) or logistic loss (2 classes) of a mini-batch, plus
/// (λ/2)·Σ‖W‖², and its gradient by back-propagation, written with matrix products (a cache-blocked
/// kernel by default) and <see cref="TensorPrimitives"/>.
/// </summary>
/// <remarks>
/// Labels: class indices 0 … K−1 for K ≥ 3 (LIBSVM/CSV read with <see cref="LabelMode.MultiClass"/>);
/// ±1 or 0/1 for two classes. Features: a data set with exactly <see cref="MlpArchitecture.Inputs"/>
/// columns, dense or sparse rows. A batch is processed in blocks of at most <see cref="BlockRows"/>
/// rows, which bounds the scratch memory whatever the batch. One instance per node (it owns scratch
/// buffers, so it is not thread-safe); it keeps nothing from one call to the next that changes a result.
/// </remarks>
public sealed class MlpModel : IModel
{
    /// <summary>Rows per forward/backward block: scratch memory is BlockRows × (Σ widths + 2 × the widest layer) doubles.</summary>
    public const int BlockRows = 256;

    /// <summary>The purpose the initial parameters' random stream is derived for from the seed.</summary>
    public const string InitializationPurpose = "mlp-initialization";

    private readonly MlpPasses _passes;
    private readonly int[] _allRows = new int[BlockRows];

    /// <summary>An MLP computing its matrix products with <see cref="BlockedGemm"/>.</summary>
    public MlpModel(MlpArchitecture architecture)
        : this(architecture, new BlockedGemm())
    {
    }

    /// <summary>An MLP computing its matrix products with <paramref name="kernel"/> (the benchmark's baseline passes <see cref="TripleLoopGemm"/>).</summary>
    public MlpModel(MlpArchitecture architecture, IMatrixMultiply kernel)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(kernel);
        Architecture = architecture;
        _passes = new MlpPasses(architecture, kernel);
    }

    public MlpArchitecture Architecture { get; }

    public string Name => Architecture.ToString();

    public int Dimension => Architecture.ParameterCount;

    /// <summary>
    /// Weights into a ReLU layer ~ N(0, 2/fan_in) (He), into a tanh layer and into the output layer
    /// ~ N(0, 2/(fan_in + fan_out)) (Xavier/Glorot); biases 0. Drawn in parameter order from the stream
    /// (<paramref name="seed"/>, <see cref="InitializationPurpose"/>): a function of the seed alone.
    /// </summary>
    public void InitializeParameters(ulong seed, Span<double> parameters)
    {
        CheckLength(parameters.Length, nameof(parameters));
        var random = new SeededRandom(SeededRandom.Derive(seed, InitializationPurpose));
        for (var l = 0; l < Architecture.Layers; l++)
        {
            var weights = parameters.Slice(Architecture.WeightOffset(l), Architecture.Width(l) * Architecture.Width(l + 1));
            var deviation = InitialDeviation(l);
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = deviation * random.NextGaussian();
            }
            parameters.Slice(Architecture.BiasOffset(l), Architecture.Width(l + 1)).Clear();
        }
    }

    /// <summary>The standard deviation weight layer <paramref name="layer"/> starts with (see <see cref="InitializeParameters"/>).</summary>
    public double InitialDeviation(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Architecture.Layers);
        var (fanIn, fanOut) = (Architecture.Width(layer), Architecture.Width(layer + 1));
        var intoRelu = layer < Architecture.Layers - 1 && Architecture.Activation == MlpActivation.Relu;
        return intoRelu ? Math.Sqrt(2.0 / fanIn) : Math.Sqrt(2.0 / (fanIn + fanOut));
    }

    public double LossAndGradient(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch, Span<double> gradient)
    {
        CheckLength(parameters.Length, nameof(parameters));
        CheckLength(gradient.Length, nameof(gradient));
        CheckBatch(examples, batch);
        gradient.Clear();
        var scale = 1.0 / batch.Length;
        var sum = 0.0;
        for (var start = 0; start < batch.Length; start += BlockRows)
        {
            var block = batch.Slice(start, Math.Min(BlockRows, batch.Length - start));
            sum += _passes.Run(parameters, examples, block, scale, gradient).LossSum;
        }
        return (sum * scale) + WeightDecay(parameters, gradient);
    }

    public double Loss(ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch)
    {
        CheckLength(parameters.Length, nameof(parameters));
        CheckBatch(examples, batch);
        var sum = 0.0;
        for (var start = 0; start < batch.Length; start += BlockRows)
        {
            var block = batch.Slice(start, Math.Min(BlockRows, batch.Length - start));
            sum += _passes.Run(parameters, examples, block, 0, []).LossSum;
        }
        return (sum * (1.0 / batch.Length)) + WeightDecay(parameters, []); // as LossAndGradient rounds it
    }

    /// <summary>The mean loss over every row (plus the weight decay, as <see cref="Loss"/>) and the fraction classified correctly.</summary>
    public ModelEvaluation Evaluate(ReadOnlySpan<double> parameters, Dataset examples)
    {
        CheckLength(parameters.Length, nameof(parameters));
        CheckData(examples);
        var sum = 0.0;
        long correct = 0;
        for (var start = 0; start < examples.Rows; start += BlockRows)
        {
            var count = Math.Min(BlockRows, examples.Rows - start);
            for (var r = 0; r < count; r++)
            {
                _allRows[r] = start + r;
            }
            var (loss, right) = _passes.Run(parameters, examples, _allRows.AsSpan(0, count), 0, []);
            sum += loss;
            correct += right;
        }
        return new ModelEvaluation((sum / examples.Rows) + WeightDecay(parameters, []), (double)correct / examples.Rows);
    }

    /// <summary>(λ/2)·Σ‖W‖², adding λ·W to the gradient's weights when one is given.</summary>
    private double WeightDecay(ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        var lambda = Architecture.WeightDecay;
        if (lambda == 0)
        {
            return 0;
        }
        var sum = 0.0;
        for (var l = 0; l < Architecture.Layers; l++)
        {
            var (offset, length) = (Architecture.WeightOffset(l), Architecture.Width(l) * Architecture.Width(l + 1));
            var weights = parameters.Slice(offset, length);
            sum += TensorPrimitives.SumOfSquares(weights);
            if (!gradient.IsEmpty)
            {
                var target = gradient.Slice(offset, length);
                TensorPrimitives.MultiplyAdd(weights, lambda, target, target);
            }
        }
        return 0.5 * lambda * sum;
    }

    private void CheckLength(int length, string name)
    {
        if (length != Dimension)
        {
            throw new ArgumentException($"The {name} span holds {length} values; {Name} has {Dimension} parameters.", name);
        }
    }

    private void CheckData(Dataset examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Dimension != Architecture.Inputs)
        {
            throw new ArgumentException($"{examples.Name} has {examples.Dimension} features; {Name} takes {Architecture.Inputs} inputs.", nameof(examples));
        }
        if (examples.Classes is { } classes && classes.Count != Architecture.Classes)
        {
            throw new ArgumentException($"{examples.Name} has {classes.Count} classes; {Name} classifies into {Architecture.Classes}.", nameof(examples));
        }
    }

    private void CheckBatch(Dataset examples, ReadOnlySpan<int> batch)
    {
        CheckData(examples);
        if (batch.IsEmpty)
        {
            throw new ArgumentException("The batch is empty; a mean loss needs at least one row.", nameof(batch));
        }
        for (var i = 0; i < batch.Length; i++)
        {
            if ((uint)batch[i] >= (uint)examples.Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(batch), batch[i], $"batch[{i}] = {batch[i]} is outside the rows [0, {examples.Rows}) of {examples.Name}.");
            }
        }
    }
}
