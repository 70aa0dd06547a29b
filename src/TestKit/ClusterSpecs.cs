using Decentral.Agreement;
using Decentral.Configuration;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.TestKit;

/// <summary>
/// Ready cluster specs for tests, from code (<see cref="Default"/>, <see cref="Logistic"/>,
/// <see cref="LeastSquares"/>) or from the same HOCON files the <c>decentral</c> tool reads
/// (<see cref="FromFile"/>). Change what a test needs with <c>with</c>:
/// <c>ClusterSpecs.Default(3, 3) with { NetworkLatency = TimeSpan.FromMilliseconds(20) }</c>.
/// </summary>
public static class ClusterSpecs
{
    /// <summary>Rows and features of <see cref="Default"/>'s synthetic data set.</summary>
    public const int DefaultRows = 400;

    /// <inheritdoc cref="DefaultRows"/>
    public const int DefaultFeatures = 8;

    /// <summary>
    /// <paramref name="clusters"/> × <paramref name="size"/> nodes training L2-regularised logistic
    /// regression (λ = 0.01) on a synthetic data set (<see cref="TestData.Logistic"/>: 400 rows, 8
    /// features, drawn from <paramref name="seed"/>): batch 32, step 1/(1 + t/50), 3 agreement rounds per
    /// iteration and 20 after the last, a quorum of processes, 1 ms between clusters, resends every 50 ms,
    /// checkpoints in memory (they survive a simulated crash).
    /// </summary>
    public static ClusterRunSpec Default(int clusters, int size, int iterations = 150, ulong seed = 7) =>
        Logistic(TestData.Logistic(DefaultRows, DefaultFeatures, seed), clusters, size, iterations, seed: seed);

    /// <summary>As <see cref="Default"/>, on <paramref name="data"/> (labels ±1 or 0/1) with L2 weight <paramref name="lambda"/>.</summary>
    public static ClusterRunSpec Logistic(Dataset data, int clusters, int size, int iterations = 150, double lambda = 0.01, ulong seed = 7) =>
        Spec(data, ObjectiveKind.LogisticL2, clusters, size, iterations, lambda, seed);

    /// <summary>As <see cref="Default"/>, least squares (L2 weight <paramref name="lambda"/>) on <paramref name="data"/> (real-valued labels).</summary>
    public static ClusterRunSpec LeastSquares(Dataset data, int clusters, int size, int iterations = 150, double lambda = 0.01, ulong seed = 7) =>
        Spec(data, ObjectiveKind.LeastSquares, clusters, size, iterations, lambda, seed);

    /// <summary>
    /// Loads <paramref name="configFile"/> (over the documented reference.conf; relative data paths are
    /// relative to the file) with optional <c>key=value</c> overrides, validates every key and builds the
    /// spec, fault schedule included. A bad file throws <see cref="ConfigurationException"/> naming file,
    /// line, column and key.
    /// </summary>
    public static ClusterRunSpec FromFile(string configFile, params string[] overrides)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configFile);
        return RunConfiguration.Load(Path.GetFullPath(configFile), overrides).Spec;
    }

    private static ClusterRunSpec Spec(Dataset data, ObjectiveKind objective, int clusters, int size, int iterations, double lambda, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var spec = new ClusterRunSpec
        {
            Training = new TrainingSpec
            {
                Data = data,
                Model = objective switch
                {
                    ObjectiveKind.LeastSquares => LinearModels.LeastSquares(lambda),
                    ObjectiveKind.LogisticL2 => LinearModels.LogisticL2(lambda),
                    _ => LinearModels.LogisticNonConvex(lambda),
                },
                BatchSize = 32,
                StepSize = StepSize.InverseTime(1.0, 50),
                Seed = seed,
            },
            Protocol = new Nodes.Protocol.ProtocolOptions
            {
                Layout = ClusterLayout.Uniform(clusters, size),
                Quorum = QuorumRule.Processes,
                Iterations = iterations,
                Rounds = 3,
                FinalRounds = 20,
            },
            Seed = seed,
            NetworkLatency = TimeSpan.FromMilliseconds(1),
            ResendInterval = TimeSpan.FromMilliseconds(50),
        };
        spec.Validate();
        return spec;
    }
}
