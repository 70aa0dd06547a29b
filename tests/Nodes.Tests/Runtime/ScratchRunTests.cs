using Decentral.Nodes.Optimization;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Runtime;
using Xunit.Abstractions;

namespace Decentral.Nodes.Tests.Runtime;

public sealed class ScratchRunTests(ITestOutputHelper output)
{
    [Fact]
    public void Simulated_run_reaches_the_optimum()
    {
        var spec = RuntimeFixtures.BreastCancerL2();
        var exact = ExactSolver.Solve((LogisticL2)spec.Training.GlobalObjective());
        using var runtime = ClusterRuntime.Simulated(spec);
        var completed = runtime.RunSimulated(TimeSpan.FromHours(1));
        var summary = runtime.Summarize(completed);
        output.WriteLine($"{summary} gap={summary.Final.Loss - exact.Value} events={runtime.Simulation!.EventCount} wall={summary.WallSeconds}");
        Assert.True(completed);
    }
}
