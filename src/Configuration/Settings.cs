using Decentral.Agreement;
using Decentral.Hocon;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Configuration;

/// <summary>Every validated setting of <c>decentral.*</c> (see hocon/reference.conf for each key).</summary>
public sealed record DecentralSettings
{
    /// <summary><c>decentral.seed</c>.</summary>
    public required ulong Seed { get; init; }

    public required ClusterSettings Cluster { get; init; }

    public required ModelSettings Model { get; init; }

    public required SgdSettings Sgd { get; init; }

    public required AgreementSettings Agreement { get; init; }

    public required ComputeTimeSettings ComputeTime { get; init; }

    public required NetworkSettings Network { get; init; }

    public required CheckpointSettings Checkpoint { get; init; }

    /// <summary><c>decentral.metrics.every</c>: iterations between loss/‖∇f‖² evaluations (0 = only at the end).</summary>
    public required int MetricsEvery { get; init; }

    /// <summary><c>decentral.faults</c>, targets checked against the cluster names.</summary>
    public required IReadOnlyList<ScheduledFault> Faults { get; init; }

    public required RemoteSettings Remote { get; init; }
}

/// <summary><c>decentral.cluster</c>.</summary>
public sealed record ClusterSettings(ClusterLayout Layout, QuorumRule Quorum, IReadOnlyList<string> Names)
{
    /// <summary>True when the configuration named the clusters (otherwise c1…cM).</summary>
    public bool NamesConfigured { get; init; }

    /// <summary>"c1/n2" for a cluster index and a member index (both 0-based).</summary>
    public string NodeName(int cluster, int member) =>
        $"{Names[cluster]}/n{(member + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Where the training data comes from (<c>decentral.model.data</c>).</summary>
public abstract record DataSource;

/// <summary>A LIBSVM file, found at <paramref name="FullPath"/>; <paramref name="Written"/> is the value as configured.</summary>
public sealed record DataFileSource(string FullPath, string Written, ConfigOrigin? Origin) : DataSource
{
    public override string ToString() => Written;
}

/// <summary>Seeded synthetic data (<c>decentral.model.synthetic</c>), used when <c>data = ""</c>.</summary>
public sealed record SyntheticSource(int Rows, int Features) : DataSource
{
    public override string ToString() => $"synthetic {Rows}×{Features}";
}

/// <summary>The starting model x₁ (<c>decentral.model.initial</c>).</summary>
public enum InitialModel
{
    Zeros,
    Ones,
}

/// <summary><c>decentral.model</c>.</summary>
public sealed record ModelSettings(
    ObjectiveKind Objective, double Lambda, DataSource Data, PartitionMode Partition, InitialModel Initial);

/// <summary>The step-size schedule (<c>decentral.sgd.schedule</c>).</summary>
public enum StepSchedule
{
    Constant,
    InverseSqrt,
    InverseTime,
    PaperBound,
}

/// <summary><c>decentral.sgd</c>.</summary>
public sealed record SgdSettings(int Iterations, double LearningRate, int BatchSize, StepSchedule Schedule, double DecayIterations)
{
    /// <summary><c>decentral.sgd.optimizer</c> and its parameters: the local step of each node.</summary>
    public Nodes.Optimization.Local.ILocalOptimizer Optimizer { get; init; } = Nodes.Optimization.Local.LocalOptimizers.Sgd;
}

/// <summary><c>decentral.agreement</c>.</summary>
public sealed record AgreementSettings(int Rounds, int FinalRounds, int ClusterRounds, IAggregationRule Rule, int MaxBufferedStages);

/// <summary><c>decentral.compute-time</c>; <see cref="Scales"/> is empty unless per-node scales are configured.</summary>
public sealed record ComputeTimeSettings(ComputeTimeKind Model, TimeSpan Scale, SpeedProfile Speeds, IReadOnlyList<TimeSpan> Scales, double Spread = Nodes.Compute.WorkerSpeeds.DefaultSpread);

/// <summary><c>decentral.network</c>.</summary>
public sealed record NetworkSettings(TimeSpan Latency, TimeSpan ResendInterval);

/// <summary><c>decentral.checkpoint</c>; <see cref="Path"/> is absolute when set.</summary>
public sealed record CheckpointSettings(CheckpointStoreKind Store, string? Path, int Every, int Keep);

/// <summary>One cluster's listening address.</summary>
public sealed record RemoteEndpoint(string Host, int Port);

/// <summary><c>decentral.remote</c>: the address of every cluster, in cluster order.</summary>
public sealed record RemoteSettings(IReadOnlyList<RemoteEndpoint> Endpoints);
