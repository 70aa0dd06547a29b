using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Optimization.Local;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// The standard node workload: a mini-batch gradient of the node's model over its partition of the
/// data and one step of the local optimizer (plain SGD y = x − η_t g by default), with a simulated
/// compute time per iteration. The model is called through its <see cref="ModelGuard"/>: a broken
/// gradient is a <see cref="ModelFailureException"/>. The optimizer's state is this node's alone.
/// </summary>
public sealed class SgdWorkload : INodeWorkload
{
    private readonly ModelGuard model;
    private readonly Dataset data;
    private readonly MiniBatchSampler sampler;
    private readonly IStepSize stepSize;
    private readonly ComputeTimeModel computeTime;
    private readonly double[] initial;
    private readonly int[] batch;
    private readonly double[] gradient;
    private readonly ILocalOptimizer optimizer;
    private readonly double[] state;

    public SgdWorkload(ModelGuard model, Dataset data, MiniBatchSampler sampler, IStepSize stepSize, ComputeTimeModel computeTime, double[] initialModel, ILocalOptimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(stepSize);
        ArgumentNullException.ThrowIfNull(computeTime);
        ArgumentNullException.ThrowIfNull(initialModel);
        if (sampler.Rows != data.Rows)
        {
            throw new ArgumentException($"The sampler draws from {sampler.Rows} rows, the data has {data.Rows}.", nameof(sampler));
        }
        if (initialModel.Length != model.Dimension)
        {
            throw new ArgumentException(
                $"The initial model has dimension {initialModel.Length}, the model {model.Model.Name} {model.Dimension}.", nameof(initialModel));
        }
        this.model = model;
        this.data = data;
        this.sampler = sampler;
        this.stepSize = stepSize;
        this.computeTime = computeTime;
        initial = initialModel;
        batch = new int[sampler.BatchSize];
        gradient = new double[model.Dimension];
        this.optimizer = optimizer ?? LocalOptimizers.Sgd;
        state = new double[this.optimizer.StateLength(model.Dimension)];
        this.optimizer.Init(state);
    }

    public int Dimension => gradient.Length;

    /// <summary>Loss of the last mini-batch (for progress displays).</summary>
    public double LastBatchLoss { get; private set; }

    public double[] InitialModel() => (double[])initial.Clone();

    public void Perturb(int iteration, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = sampler.Sample(iteration, batch);
        LastBatchLoss = model.LossAndGradient(iteration, x, data, batch.AsSpan(0, n), gradient);
        optimizer.Update(gradient, stepSize.At(iteration), x, state, y);
    }

    public string OptimizerName => optimizer.Name;

    public ReadOnlySpan<double> OptimizerState => state;

    public string? RestoreOptimizerState(string optimizer, ReadOnlySpan<double> saved)
    {
        if (saved.IsEmpty && state.Length == 0)
        {
            return null;
        }
        if (!string.Equals(optimizer, this.optimizer.Name, StringComparison.Ordinal) || saved.Length != state.Length)
        {
            return $"the checkpoint holds {(optimizer.Length == 0 ? "no optimizer" : optimizer)} state ({saved.Length} values), this node runs {this.optimizer.Name} ({state.Length}): its optimizer state starts afresh";
        }
        saved.CopyTo(state);
        return null;
    }

    public TimeSpan ComputeDelay(int iteration) => computeTime.Duration(iteration);

    public double StepSize(int iteration) => stepSize.At(iteration);
}
