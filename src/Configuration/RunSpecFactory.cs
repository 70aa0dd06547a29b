using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Configuration;

/// <summary>
/// Turns validated settings into the runtime's <see cref="ClusterRunSpec"/>: loads the data (or
/// generates it), derives the step-size schedule, per-node compute-time scales and x₁. Problems that
/// only show with the data (an unreadable file, fewer rows than nodes to shard over) are
/// <see cref="ConfigurationException"/>s naming <c>decentral.model.*</c>.
/// </summary>
public static class RunSpecFactory
{
    /// <exception cref="ConfigurationException">The data cannot be loaded or does not fit the configuration.</exception>
    public static ClusterRunSpec Build(DecentralSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var data = LoadData(settings.Model, settings.Seed);
        var spec = new ClusterRunSpec
        {
            Training = Training(settings, data),
            Protocol = Protocol(settings),
            ClusterNames = settings.Cluster.NamesConfigured ? settings.Cluster.Names : null,
            Seed = settings.Seed,
            NetworkLatency = settings.Network.Latency,
            ResendInterval = settings.Network.ResendInterval,
            CheckpointStore = settings.Checkpoint.Store,
            CheckpointPath = settings.Checkpoint.Path,
            CheckpointKeep = settings.Checkpoint.Keep,
            MetricsEvery = settings.MetricsEvery,
            Faults = settings.Faults,
        };
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            // The reader checks every range the runtime does; reaching this is a missing check there.
            throw new ConfigurationException(new ConfigurationError(SchemaCheck.Root, null, ConfigReader.FirstSentence(e.Message)));
        }

        return spec;
    }

    /// <summary>The data set of <c>decentral.model</c>: the LIBSVM file (labels as the objective needs them) or seeded synthetic data.</summary>
    /// <exception cref="ConfigurationException">The file cannot be read or is malformed (the message names its line).</exception>
    public static Dataset LoadData(ModelSettings model, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        switch (model.Data)
        {
            case DataFileSource file:
                try
                {
                    return LibSvmReader.Read(file.FullPath, new LibSvmOptions { Labels = ObjectiveFactory.LabelsFor(model.Objective) });
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    throw new ConfigurationException(new ConfigurationError(
                        "decentral.model.data", file.Origin, $"cannot load data file '{file.Written}': {e.Message}"));
                }

            case SyntheticSource synthetic:
                return model.Objective == ObjectiveKind.LeastSquares
                    ? SyntheticData.LeastSquares(synthetic.Rows, synthetic.Features, seed).Data
                    : SyntheticData.Logistic(synthetic.Rows, synthetic.Features, seed).Data;
            default:
                throw new ArgumentException($"Unknown data source {model.Data}.", nameof(model));
        }
    }

    /// <summary>What every node trains: objective, data split, batches, step sizes, compute times, x₁.</summary>
    /// <exception cref="ConfigurationException">Sharding leaves a node without rows.</exception>
    public static TrainingSpec Training(DecentralSettings settings, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        var model = settings.Model;
        var n = settings.Cluster.Layout.N;
        if (model.Partition == PartitionMode.Sharded && data.Rows < n)
        {
            throw new ConfigurationException(new ConfigurationError(
                "decentral.model.partition", null, $"sharded: {data.Rows} rows of {data.Name} cannot give each of the {n} nodes a row; use shared or more data"));
        }

        var compute = settings.ComputeTime;
        var factory = ObjectiveFactory.Model(model.Objective, model.Lambda);
        var reference = factory(data);
        return new TrainingSpec
        {
            Data = data,
            Model = factory,
            Partition = model.Partition,
            BatchSize = settings.Sgd.BatchSize,
            StepSize = StepSizeOf(settings, reference, data),
            Optimizer = settings.Sgd.Optimizer,
            ComputeTime = compute.Model,
            ComputeScale = compute.Scale.TotalSeconds,
            Speeds = compute.Speeds,
            SpeedSpread = compute.Spread,
            WorkerScales = compute.Scales.Count == 0 ? null : [.. compute.Scales.Select(s => s.TotalSeconds)],
            InitialModel = model.Initial == InitialModel.Ones ? Enumerable.Repeat(1.0, reference.Dimension).ToArray() : null,
            Seed = settings.Seed,
        };
    }

    /// <summary>The protocol knobs every node shares.</summary>
    public static ProtocolOptions Protocol(DecentralSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var a = settings.Agreement;
        return new ProtocolOptions
        {
            Layout = settings.Cluster.Layout,
            Quorum = settings.Cluster.Quorum,
            Iterations = settings.Sgd.Iterations,
            Rounds = a.Rounds,
            FinalRounds = a.FinalRounds,
            ClusterRounds = a.ClusterRounds,
            Rule = a.Rule,
            MaxBufferedStages = a.MaxBufferedStages,
            CheckpointEvery = settings.Checkpoint.Every,
        };
    }

    private static IStepSize StepSizeOf(DecentralSettings settings, IModel model, Dataset data)
    {
        var sgd = settings.Sgd;
        return sgd.Schedule switch
        {
            StepSchedule.Constant => StepSize.Constant(sgd.LearningRate),
            StepSchedule.InverseSqrt => StepSize.InverseSqrt(sgd.LearningRate),
            StepSchedule.InverseTime => StepSize.InverseTime(sgd.LearningRate, sgd.DecayIterations),
            _ => StepSize.Constant(StepSize.PaperBound(
                model is ISmoothModel smooth
                    ? smooth.SmoothnessEstimate(data)
                    : throw new ConfigurationException(new ConfigurationError(
                        "decentral.sgd.schedule", null, $"paper-bound needs the smoothness L of the objective, which model {model.Name} does not give (ISmoothModel); use another schedule")),
                model.Dimension,
                settings.Cluster.Layout.ClusterCount)),
        };
    }
}
