using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// The standard node workload: a mini-batch gradient of the node's objective (over its partition of
/// the data) and one SGD step y = x − η_t g, with a simulated compute time per iteration.
/// </summary>
public sealed class SgdWorkload : INodeWorkload
{
    private readonly IObjective objective;
    private readonly MiniBatchSampler sampler;
    private readonly IStepSize stepSize;
    private readonly ComputeTimeModel computeTime;
    private readonly double[] initial;
    private readonly int[] batch;
    private readonly double[] gradient;

    public SgdWorkload(IObjective objective, MiniBatchSampler sampler, IStepSize stepSize, ComputeTimeModel computeTime, double[]? initialModel = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(stepSize);
        ArgumentNullException.ThrowIfNull(computeTime);
        if (sampler.Rows != objective.Rows)
        {
            throw new ArgumentException($"The sampler draws from {sampler.Rows} rows, the objective has {objective.Rows}.", nameof(sampler));
        }
        if (initialModel is not null && initialModel.Length != objective.Dimension)
        {
            throw new ArgumentException(
                $"The initial model has dimension {initialModel.Length}, the objective {objective.Dimension}.", nameof(initialModel));
        }
        this.objective = objective;
        this.sampler = sampler;
        this.stepSize = stepSize;
        this.computeTime = computeTime;
        initial = initialModel ?? new double[objective.Dimension];
        batch = new int[sampler.BatchSize];
        gradient = new double[objective.Dimension];
    }

    public int Dimension => objective.Dimension;

    /// <summary>Loss of the last mini-batch (for progress displays).</summary>
    public double LastBatchLoss { get; private set; }

    public double[] InitialModel() => (double[])initial.Clone();

    public void Perturb(int iteration, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = sampler.Sample(iteration, batch);
        LastBatchLoss = objective.MiniBatchGradient(x, batch.AsSpan(0, n), gradient);
        var eta = stepSize.At(iteration);
        for (var k = 0; k < y.Length; k++)
        {
            y[k] = x[k] - (eta * gradient[k]);
        }
    }

    public TimeSpan ComputeDelay(int iteration) => computeTime.Duration(iteration);

    public double StepSize(int iteration) => stepSize.At(iteration);
}
