using Decentral.Nodes.Objectives;
using System.Numerics.Tensors;
using Decentral.Experiments;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Training;

namespace Decentral.Host.Tests.Experiments;

public sealed class TheoryReportTests
{
    private static AsgdExperimentSettings Settings(PartitionMode partition, bool compareBad = false) => new()
    {
        Problem = new TrainingSpec
        {
            Data = SyntheticData.LeastSquares(40, 3, 9).Data,
            Model = LinearModels.LeastSquares(),
            Partition = partition,
            ComputeTime = ComputeTimeKind.Fixed,
            WorkerScales = [1.0, 2.0, 4.0, 8.0],
        },
        Methods = [AsyncMethod.Minibatch, AsyncMethod.Pure],
        StepSizes = [0.1],
        Workers = 4,
        MaxSteps = 10,
        Target = 0.1,
        CompareBadWorker = compareBad,
    };

    [Fact]
    public void Shared_data_with_full_gradients_has_no_gradient_noise()
    {
        var report = TheoryReport.Compute(Settings(PartitionMode.Shared));
        Assert.Equal(0.0, report.SigmaSquared);
        Assert.Equal(0.01, report.Epsilon, 15);
    }

    [Fact]
    public void Sharded_full_gradients_measure_the_heterogeneity_of_the_local_gradients_at_x0()
    {
        var settings = Settings(PartitionMode.Sharded);
        var report = TheoryReport.Compute(settings);

        var p = settings.Problem;
        var x0 = p.Start();
        var full = new double[3];
        p.GlobalObjective().Gradient(x0, full);
        var expected = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var g = new double[3];
            p.LocalObjective(i, 4).Gradient(x0, g);
            expected += Math.Pow(TensorPrimitives.Distance(g, full), 2) / 4;
        }
        Assert.True(expected > 0);
        Assert.Equal(expected, report.SigmaSquared, 12);
    }

    [Fact]
    public void The_bad_worker_case_uses_its_slowed_time()
    {
        var report = TheoryReport.Compute(Settings(PartitionMode.Shared, compareBad: true));
        Assert.Equal(2, report.Cases.Count);
        Assert.Equal(8, report.Cases[0].Theory.MinibatchTimePerStep);
        Assert.Equal(800, report.Cases[1].Theory.MinibatchTimePerStep); // the last worker, 100× slower
        Assert.Equal(1 + 0.5 + 0.25 + 0.125, report.Cases[0].Theory.AsynchronousThroughput, 12);
    }
}
