using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Optimization.Local;
using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Training;

/// <summary>How per-worker compute-time scales s_i are assigned.</summary>
public enum SpeedProfile
{
    /// <summary>s_i = scale for every worker.</summary>
    Uniform,

    /// <summary>s_i = (i + 1)·scale: worker i is i + 1 times slower than the fastest (AsGrad's setup).</summary>
    Linear,

    /// <summary>
    /// s_i = scale·exp(σ·Z_i) drawn once per worker from (seed, i): heterogeneous, heavy-tailed speeds
    /// (log-normal, median scale, σ = <see cref="TrainingSpec.SpeedSpread"/>; see <see cref="WorkerSpeeds"/>).
    /// </summary>
    HeavyTailed,
}

/// <summary>
/// Everything local training needs, shared by the decentralized nodes and the asynchronous SGD family:
/// data, the model, how data is split, batch size, step sizes, compute-time model and x₁.
/// </summary>
public sealed record TrainingSpec
{
    /// <summary>The training examples (split across nodes by <see cref="Partition"/>).</summary>
    public required Dataset Data { get; init; }

    /// <summary>
    /// The model every node trains: called for one instance per node and per evaluator with <see cref="Data"/>.
    /// A user's own <see cref="IModel"/> goes here (<c>Model = d => new MyModel(d.Dimension)</c>); the default
    /// is the built-in non-convex logistic regression with λ = 0.01.
    /// </summary>
    public ModelFactory Model { get; init; } = LinearModels.LogisticNonConvex(0.01);

    public PartitionMode Partition { get; init; } = PartitionMode.Shared;

    public int BatchSize { get; init; } = 32;

    public IStepSize StepSize { get; init; } = new ConstantStepSize(0.1);

    /// <summary>
    /// The local optimizer of the step that produces yₜ (decentralized nodes): plain SGD by default, the step
    /// the paper analyses; momentum, Nesterov and Adam keep per-node state (checkpointed, not agreed on).
    /// </summary>
    public ILocalOptimizer Optimizer { get; init; } = LocalOptimizers.Sgd;

    public ComputeTimeKind ComputeTime { get; init; } = ComputeTimeKind.None;

    /// <summary>Compute-time scale s in seconds (per gradient) before the speed profile.</summary>
    public double ComputeScale { get; init; } = 0.01;

    public SpeedProfile Speeds { get; init; } = SpeedProfile.Uniform;

    /// <summary>σ of the log speeds under <see cref="SpeedProfile.HeavyTailed"/>.</summary>
    public double SpeedSpread { get; init; } = WorkerSpeeds.DefaultSpread;

    /// <summary>Explicit per-worker scales (seconds); overrides <see cref="Speeds"/> when set.</summary>
    public IReadOnlyList<double>? WorkerScales { get; init; }

    /// <summary>x₁; when null, the model's own <see cref="IModel.InitializeParameters"/> for <see cref="Seed"/>.</summary>
    public IReadOnlyList<double>? InitialModel { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>Length of the model's parameter vector (what messages and checkpoints carry); makes a model instance to ask.</summary>
    public int Dimension => CreateModel().Dimension;

    /// <summary>A new instance of the model (<see cref="Model"/> applied to <see cref="Data"/>).</summary>
    public IModel CreateModel()
    {
        ArgumentNullException.ThrowIfNull(Model);
        return Model(Data) ?? throw new InvalidOperationException("The model factory returned null instead of a model.");
    }

    /// <summary>The objective over the whole data set (what runs report loss and ‖∇f‖² on), with its own model instance.</summary>
    public ModelObjective GlobalObjective() => new(CreateModel(), Data);

    /// <summary>Worker/node <paramref name="index"/>'s objective over its partition of the data, with its own model instance.</summary>
    public ModelObjective LocalObjective(int index, int count) => new(CreateModel(), LocalData(index, count));

    /// <summary>The rows worker/node <paramref name="index"/> of <paramref name="count"/> samples from.</summary>
    public Dataset LocalData(int index, int count) => Partitioning.DataFor(Data, Partition, index, count);

    public double ScaleOf(int index)
    {
        if (WorkerScales is { } scales)
        {
            if (index >= scales.Count)
            {
                throw new ArgumentException($"Worker {index} has no compute-time scale: {scales.Count} are configured.", nameof(index));
            }
            return scales[index];
        }
        return Speeds switch
        {
            SpeedProfile.Linear => (index + 1) * ComputeScale,
            SpeedProfile.HeavyTailed => WorkerSpeeds.HeavyTailedFactor(Seed, index, SpeedSpread) * ComputeScale,
            _ => ComputeScale,
        };
    }

    public ComputeTimeModel ComputeTimeOf(int index) =>
        ComputeTime == ComputeTimeKind.None ? ComputeTimeModel.None : ComputeTimeModel.Create(ComputeTime, ScaleOf(index), Seed, index);

    /// <summary>x₁: <see cref="InitialModel"/> when set, else what a fresh model instance initialises for <see cref="Seed"/>.</summary>
    public double[] Start() => ReferenceStart().Parameters;

    /// <summary>
    /// The run's model shape and x₁ from a reference instance, checked (dimension ≥ 1, x₁ finite and of the
    /// model's length): what every node's own instance must match (<see cref="CreateWorkload(int, int, ModelStart, string)"/>).
    /// </summary>
    /// <exception cref="ModelFailureException">The reference instance is broken (throws, non-finite x₁).</exception>
    /// <exception cref="ArgumentException"><see cref="InitialModel"/> does not have the model's length.</exception>
    public ModelStart ReferenceStart()
    {
        var guard = new ModelGuard(CreateModel(), "reference");
        double[] x;
        if (InitialModel is null)
        {
            x = guard.InitialParameters(Seed);
        }
        else if (InitialModel.Count != guard.Dimension)
        {
            throw new ArgumentException($"The initial model has {InitialModel.Count} entries, the model {guard.Model.Name} {guard.Dimension} parameters.");
        }
        else
        {
            x = [.. InitialModel];
        }
        return new ModelStart(guard.Model.Name, ModelFailureException.TypeName(guard.Model.GetType()), guard.Dimension, x);
    }

    /// <summary>A decentralized node's workload (its own model instance, checked against a fresh reference).</summary>
    public INodeWorkload CreateWorkload(int node, int nodes) =>
        CreateWorkload(node, nodes, ReferenceStart(), "node " + node.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// A decentralized node's workload: its own model instance (which must have <paramref name="reference"/>'s
    /// dimension and x₁), its partition of the data, sampler, step sizes and compute time.
    /// </summary>
    /// <exception cref="ModelFailureException">The node's model instance cannot be made or does not match the reference.</exception>
    public INodeWorkload CreateWorkload(int node, int nodes, ModelStart reference, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Validate();
        IModel model;
        try
        {
            model = CreateModel();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelFailureException(reference.ModelName, reference.ModelType, nodeName, null, $"the model factory threw {e.GetType().Name}: {e.Message}", e);
        }
        var guard = new ModelGuard(model, nodeName);
        if (guard.Dimension != reference.Dimension)
        {
            throw ModelFailureException.Of(model, nodeName, null, $"it has {guard.Dimension} parameters, the run's model {reference.Dimension}");
        }
        var x = (double[])reference.Parameters.Clone();
        if (InitialModel is null)
        {
            guard.CheckSameStart(guard.InitialParameters(Seed), reference.Parameters);
        }
        var data = LocalData(node, nodes);
        var sampler = new MiniBatchSampler(data.Rows, BatchSize, Seed, node);
        return new SgdWorkload(guard, data, sampler, StepSize, ComputeTimeOf(node), x, Optimizer);
    }

    /// <summary>Checks the parts a record initializer cannot (clear errors before anything starts).</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Data);
        ArgumentNullException.ThrowIfNull(Model);
        ArgumentNullException.ThrowIfNull(StepSize);
        ArgumentNullException.ThrowIfNull(Optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (ComputeTime != ComputeTimeKind.None && !(ComputeScale > 0) && WorkerScales is null)
        {
            throw new ArgumentOutOfRangeException(nameof(ComputeScale), ComputeScale, "The compute-time scale must be positive.");
        }
        WorkerSpeeds.CheckSpread(SpeedSpread);
    }
}
