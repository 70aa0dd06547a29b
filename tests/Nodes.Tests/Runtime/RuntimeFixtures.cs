using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Nodes.Tests.Runtime;

internal static class RuntimeFixtures
{
    private static readonly Lazy<Dataset> BreastCancer = new(() => LibSvmReader.Read(DataFiles.Repository("breast_cancer_scale.libsvm")));

    public static Dataset BreastCancerData => BreastCancer.Value;

    /// <summary>3 clusters × 3 nodes on breast_cancer, L2-regularised logistic regression (λ = 0.01).</summary>
    public static ClusterRunSpec BreastCancerL2(int iterations = 300, ulong seed = 1, QuorumRule? quorum = null, int rounds = 3, int finalRounds = 40) => new()
    {
        Training = new TrainingSpec
        {
            Data = BreastCancerData,
            Model = LinearModels.LogisticL2(0.01),
            BatchSize = 64,
            StepSize = StepSize.InverseTime(1.0, 50),
            Seed = seed,
        },
        Protocol = new ProtocolOptions
        {
            Layout = ClusterLayout.Uniform(3, 3),
            Quorum = quorum ?? QuorumRule.Processes,
            Iterations = iterations,
            Rounds = rounds,
            FinalRounds = finalRounds,
        },
        Seed = seed,
        NetworkLatency = TimeSpan.FromMilliseconds(1),
        ResendInterval = TimeSpan.FromMilliseconds(50),
    };
}
