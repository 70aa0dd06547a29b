using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
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
/// data, objective, how data is split, batch size, step sizes, compute-time model and x₁.
/// </summary>
public sealed record TrainingSpec
{
    public required Dataset Data { get; init; }

    public ObjectiveKind Objective { get; init; } = ObjectiveKind.LogisticNonConvex;

    public double Lambda { get; init; } = 0.01;

    public PartitionMode Partition { get; init; } = PartitionMode.Shared;

    public int BatchSize { get; init; } = 32;

    public IStepSize StepSize { get; init; } = new ConstantStepSize(0.1);

    public ComputeTimeKind ComputeTime { get; init; } = ComputeTimeKind.None;

    /// <summary>Compute-time scale s in seconds (per gradient) before the speed profile.</summary>
    public double ComputeScale { get; init; } = 0.01;

    public SpeedProfile Speeds { get; init; } = SpeedProfile.Uniform;

    /// <summary>σ of the log speeds under <see cref="SpeedProfile.HeavyTailed"/>.</summary>
    public double SpeedSpread { get; init; } = WorkerSpeeds.DefaultSpread;

    /// <summary>Explicit per-worker scales (seconds); overrides <see cref="Speeds"/> when set.</summary>
    public IReadOnlyList<double>? WorkerScales { get; init; }

    /// <summary>x₁; zeros when null.</summary>
    public IReadOnlyList<double>? InitialModel { get; init; }

    public ulong Seed { get; init; } = 1;

    public int Dimension => Data.Dimension;

    /// <summary>The objective over the whole data set (what runs report loss and ‖∇f‖² on).</summary>
    public IObjective GlobalObjective() => ObjectiveFactory.Create(Objective, Data, Lambda);

    /// <summary>Worker/node <paramref name="index"/>'s objective over its partition of the data.</summary>
    public IObjective LocalObjective(int index, int count) =>
        ObjectiveFactory.Create(Objective, Partitioning.DataFor(Data, Partition, index, count), Lambda);

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

    public double[] Start()
    {
        if (InitialModel is null)
        {
            return new double[Dimension];
        }
        if (InitialModel.Count != Dimension)
        {
            throw new ArgumentException($"The initial model has {InitialModel.Count} entries, the data {Dimension} features.");
        }
        return [.. InitialModel];
    }

    /// <summary>A decentralized node's workload: its objective, sampler, step sizes and compute time.</summary>
    public INodeWorkload CreateWorkload(int node, int nodes)
    {
        Validate();
        var objective = LocalObjective(node, nodes);
        var sampler = new MiniBatchSampler(objective.Rows, BatchSize, Seed, node);
        return new SgdWorkload(objective, sampler, StepSize, ComputeTimeOf(node), Start());
    }

    /// <summary>Checks the parts a record initializer cannot (clear errors before anything starts).</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Data);
        ArgumentNullException.ThrowIfNull(StepSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (!double.IsFinite(Lambda) || Lambda < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be a finite number ≥ 0.");
        }
        if (ComputeTime != ComputeTimeKind.None && !(ComputeScale > 0) && WorkerScales is null)
        {
            throw new ArgumentOutOfRangeException(nameof(ComputeScale), ComputeScale, "The compute-time scale must be positive.");
        }
        WorkerSpeeds.CheckSpread(SpeedSpread);
    }
}
