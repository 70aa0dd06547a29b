using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Training;
using Decentral.Simulation;
using Xunit.Abstractions;

namespace Decentral.Nodes.Tests.AsyncSgd;

/// <summary>
/// AsGrad's setup (w7a, n = 10, s_i = i under the normal model, non-convex logistic λ = 0.1, x₀ = 1,
/// sharded data, full local gradients, 500 server iterations): the ordering the paper reports — random
/// and shuffle end below pure in the mean ‖∇f‖ of the last 100 iterations, each method at its best η.
/// </summary>
public sealed class AsGradOrderingTests(ITestOutputHelper output)
{
    private static readonly Lazy<Dataset> W7a = new(() => LibSvmReader.Read(DataFiles.Shared("w7a.libsvm")));

    [Fact]
    public void Random_and_shuffle_end_below_pure_in_the_mean_of_the_last_100_iterations()
    {
        var data = W7a.Value;
        var problem = new TrainingSpec
        {
            Data = data,
            Model = LinearModels.LogisticNonConvex(0.1),
            Partition = PartitionMode.Sharded,
            ComputeTime = ComputeTimeKind.Normal,
            ComputeScale = 1,
            Speeds = SpeedProfile.Linear,
            InitialModel = Enumerable.Repeat(1.0, data.Dimension).ToArray(),
            Seed = 42,
        };
        double[] grid = [0.5, 0.25, 0.125, 0.0625];

        double TailMean(AsyncMethod method, double eta)
        {
            var result = AsyncSgdRunner.Run(new AsyncRunOptions
            {
                Problem = problem,
                Method = method,
                Workers = 10,
                StepSize = eta,
                MaxSteps = 500,
                TraceEvery = 1,
            });
            Assert.False(result.Diverged);
            return result.Samples.Where(s => s.Step > 400).Average(s => s.GradientNorm);
        }

        var best = new Dictionary<string, (double Eta, double Tail)>();
        foreach (var method in new[] { AsyncMethod.Pure, AsyncMethod.Random, AsyncMethod.Shuffle })
        {
            var tails = grid.Select(eta => (Eta: eta, Tail: TailMean(method, eta))).ToList();
            best[method.Name] = tails.MinBy(t => t.Tail);
            output.WriteLine($"{method.Name}: {string.Join(", ", tails.Select(t => $"η {t.Eta}: {t.Tail:G4}"))}");
        }

        Assert.True(best["random"].Tail < best["pure"].Tail, $"random {best["random"]} vs pure {best["pure"]}");
        Assert.True(best["shuffle"].Tail < best["pure"].Tail, $"shuffle {best["shuffle"]} vs pure {best["pure"]}");
        // Each best η is inside the grid, so the comparison is between tuned methods.
        Assert.All(best.Values, b => Assert.True(b.Eta < grid.Max() && b.Eta > grid.Min(), $"best η {b.Eta} at an edge of the grid"));
    }
}
