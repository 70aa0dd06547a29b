using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models.Kernels;

namespace Decentral.Nodes.Models.Mlp;

/// <summary>
/// The forward and backward passes of an MLP over a block of rows, as matrix products on row-major
/// scratch buffers owned by this instance: the block's rows gathered into a dense matrix X (rows ×
/// inputs), then per layer Z = A·W + b, A' = f(Z); backwards δW = Aᵀ·δ, δb = Σ_rows δ and
/// δA = δ·Wᵀ. Buffers grow to the largest block seen (at most <see cref="MlpModel.BlockRows"/> rows)
/// and are reused, so steady-state calls allocate nothing.
/// </summary>
internal sealed class MlpPasses(MlpArchitecture architecture, IMatrixMultiply gemm)
{
    private readonly double[][] _activations = new double[architecture.Layers + 1][]; // level 0 = X, Layers = scores
    private double[] _delta = [];
    private double[] _deltaBelow = [];
    private int _capacity;

    /// <summary>
    /// Runs the rows <paramref name="rows"/> forward, returns the sum of their losses (no regulariser) and
    /// how many the network classifies correctly; with a non-empty <paramref name="gradient"/>, adds
    /// <paramref name="scale"/> × the gradient of that sum to it.
    /// </summary>
    public (double LossSum, int Correct) Run(ReadOnlySpan<double> parameters, Dataset data, ReadOnlySpan<int> rows, double scale, Span<double> gradient)
    {
        var count = rows.Length;
        Reserve(count);
        Gather(data, rows, _activations[0].AsSpan(0, count * architecture.Inputs));
        Forward(parameters, count);
        var (loss, correct) = Scores(data, rows, scale);
        if (!gradient.IsEmpty)
        {
            Backward(parameters, count, gradient);
        }
        return (loss, correct);
    }

    private void Reserve(int rows)
    {
        if (rows <= _capacity)
        {
            return;
        }
        for (var level = 0; level <= architecture.Layers; level++)
        {
            _activations[level] = new double[rows * architecture.Width(level)];
        }
        _delta = new double[rows * architecture.MaxLayerWidth];
        _deltaBelow = new double[rows * architecture.MaxLayerWidth];
        _capacity = rows;
    }

    /// <summary>Writes each row's features densely (zeros where a sparse row stores nothing).</summary>
    private void Gather(Dataset data, ReadOnlySpan<int> rows, Span<double> x)
    {
        var width = architecture.Inputs;
        for (var r = 0; r < rows.Length; r++)
        {
            var target = x.Slice(r * width, width);
            var indices = data.Indices(rows[r]);
            var values = data.Values(rows[r]);
            if (indices.Length == width)
            {
                values.CopyTo(target); // a dense row: columns 0 … d − 1 in order
                continue;
            }
            target.Clear();
            for (var e = 0; e < indices.Length; e++)
            {
                target[indices[e]] = values[e];
            }
        }
    }

    private void Forward(ReadOnlySpan<double> parameters, int count)
    {
        for (var l = 0; l < architecture.Layers; l++)
        {
            var (fanIn, fanOut) = (architecture.Width(l), architecture.Width(l + 1));
            var weights = parameters.Slice(architecture.WeightOffset(l), fanIn * fanOut);
            var bias = parameters.Slice(architecture.BiasOffset(l), fanOut);
            var z = _activations[l + 1].AsSpan(0, count * fanOut);
            for (var r = 0; r < count; r++)
            {
                bias.CopyTo(z.Slice(r * fanOut, fanOut)); // Z = b, then Z += A·W
            }
            gemm.Multiply(_activations[l], false, weights, false, z, count, fanOut, fanIn, accumulate: true);
            if (l < architecture.Layers - 1)
            {
                if (architecture.Activation == MlpActivation.Relu)
                {
                    TensorPrimitives.Max(z, 0.0, z);
                }
                else
                {
                    TensorPrimitives.Tanh(z, z);
                }
            }
        }
    }

    /// <summary>Loss and correctness per row from the output scores; the output errors δ go to <see cref="_delta"/>.</summary>
    private (double Loss, int Correct) Scores(Dataset data, ReadOnlySpan<int> rows, double scale)
    {
        var outputs = architecture.Outputs;
        var scores = _activations[architecture.Layers];
        var loss = 0.0;
        var correct = 0;
        for (var r = 0; r < rows.Length; r++)
        {
            var z = scores.AsSpan(r * outputs, outputs);
            if (outputs == 1)
            {
                var sign = OutputLoss.SignOf(data, rows[r]);
                loss += OutputLoss.Logistic(z[0], sign, scale, out _delta[r]);
                correct += (z[0] > 0) == (sign > 0) ? 1 : 0;
            }
            else
            {
                var label = OutputLoss.ClassOf(data, rows[r], architecture.Classes);
                loss += OutputLoss.SoftmaxCrossEntropy(z, label, scale, _delta.AsSpan(r * outputs, outputs));
                correct += OutputLoss.ArgMax(z) == label ? 1 : 0;
            }
        }
        return (loss, correct);
    }

    private void Backward(ReadOnlySpan<double> parameters, int count, Span<double> gradient)
    {
        for (var l = architecture.Layers - 1; l >= 0; l--)
        {
            var (fanIn, fanOut) = (architecture.Width(l), architecture.Width(l + 1));
            var delta = _delta.AsSpan(0, count * fanOut);
            var weightGradient = gradient.Slice(architecture.WeightOffset(l), fanIn * fanOut);
            gemm.Multiply(_activations[l], true, delta, false, weightGradient, fanIn, fanOut, count, accumulate: true);
            var biasGradient = gradient.Slice(architecture.BiasOffset(l), fanOut);
            for (var r = 0; r < count; r++)
            {
                TensorPrimitives.Add(biasGradient, delta.Slice(r * fanOut, fanOut), biasGradient);
            }
            if (l == 0)
            {
                break; // no error to propagate into the inputs
            }

            var weights = parameters.Slice(architecture.WeightOffset(l), fanIn * fanOut);
            var below = _deltaBelow.AsSpan(0, count * fanIn);
            gemm.Multiply(delta, false, weights, true, below, count, fanIn, fanOut, accumulate: false);
            Derivative(_activations[l].AsSpan(0, count * fanIn), below);
            (_delta, _deltaBelow) = (_deltaBelow, _delta);
        }
    }

    /// <summary>
    /// δZ = δA ⊙ f'(Z), with f' read off the activations: ReLU 1[a &gt; 0], tanh 1 − a². Vectorised by
    /// hand: a branch per element on the sign of a costs more than the product it guards.
    /// </summary>
    private void Derivative(ReadOnlySpan<double> activations, Span<double> delta)
    {
        Debug.Assert(activations.Length == delta.Length);
        var relu = architecture.Activation == MlpActivation.Relu;
        ref var a = ref MemoryMarshal.GetReference(activations);
        ref var d = ref MemoryMarshal.GetReference(delta);
        var n = (nuint)delta.Length;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            var av = Vector256.LoadUnsafe(ref a, i);
            var dv = Vector256.LoadUnsafe(ref d, i);
            var result = relu ? dv & Vector256.GreaterThan(av, Vector256<double>.Zero) : dv * (Vector256<double>.One - (av * av));
            result.StoreUnsafe(ref d, i);
        }
        for (; i < n; i++)
        {
            var ai = Unsafe.Add(ref a, i);
            ref var di = ref Unsafe.Add(ref d, i);
            di = relu ? (ai > 0 ? di : 0) : di * (1 - (ai * ai));
        }
    }
}
