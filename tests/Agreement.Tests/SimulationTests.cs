using Decentral.Agreement.Simulation;
using Decentral.Agreement.Tests.Support;

namespace Decentral.Agreement.Tests;

public sealed class SimulationTests
{
    [Fact]
    public void Acceptance_run_is_valid_and_contracts_below_the_bound()
    {
        var result = MdaaSimulation.Run(new MdaaSimulationOptions
        {
            Layout = ClusterLayout.Uniform(5, 3), Dimension = 50, Rounds = 12, Seed = 11,
        });
        Assert.True(result.Valid, result.Violation);
        Assert.True(result.AllLiveFinished);
        Assert.Equal(13, result.Rounds.Count);
        Assert.Equal(5.0 / 6, result.Bound, 15);
        Assert.True(result.Rounds[^1].DiameterL2 < result.Rounds[0].DiameterL2 * Math.Pow(result.Bound, 6));
        Assert.Equal(Naive.DiameterL2(result.Values[0].Select(v => v!).ToList()), result.Rounds[0].DiameterL2, 12);
    }

    [Fact]
    public void The_same_seed_reproduces_the_run_and_another_seed_does_not()
    {
        MdaaSimulationOptions Options(int seed) => new()
        {
            Layout = new ClusterLayout([3, 2, 4]), Dimension = 7, Rounds = 5, Seed = seed, Crashes = 2,
            Interleaving = Interleaving.Skewed,
        };
        var a = MdaaSimulation.Run(Options(3));
        var b = MdaaSimulation.Run(Options(3));
        var c = MdaaSimulation.Run(Options(4));
        Assert.Equal(a.Events, b.Events);
        for (var r = 0; r < a.Values.Count; r++)
        {
            for (var p = 0; p < a.Values[r].Length; p++)
            {
                Assert.Equal(a.Values[r][p], b.Values[r][p]);
            }
        }

        Assert.NotEqual(a.Values[0][0], c.Values[0][0]);
    }

    [Fact]
    public void Given_inputs_are_used_as_round_zero()
    {
        var layout = new ClusterLayout([2, 1]);
        double[][] inputs = [[0, 0], [4, 0], [0, 4]];
        var result = MdaaSimulation.Run(new MdaaSimulationOptions
        {
            Layout = layout, Dimension = 2, Rounds = 3, Inputs = Vectors.Memories(inputs),
        });
        Assert.Equal(inputs, result.Values[0]);
        Assert.All(result.Values[^1], v => Assert.True(Hull.Distance(inputs, v!) < 1e-9));
    }

    [Fact]
    public void Bad_options_name_the_property()
    {
        var layout = new ClusterLayout([3, 3, 3]);
        string Param(MdaaSimulationOptions o) => Assert.ThrowsAny<ArgumentException>(() => MdaaSimulation.Run(o)).ParamName!;
        Assert.Equal("Dimension", Param(new() { Layout = layout, Dimension = 0 }));
        Assert.Equal("Rounds", Param(new() { Layout = layout, Rounds = 0 }));
        Assert.Equal("ClusterRounds", Param(new() { Layout = layout, ClusterRounds = 0 }));
        Assert.Equal("Crashes", Param(new() { Layout = layout, Crashes = -1 }));
        // processes: killing two whole clusters (6 of 9) leaves no quorum, so at most 5 crashes.
        Assert.Equal(5, QuorumRule.Processes.MaxTolerableCrashes(layout));
        Assert.Equal("Crashes", Param(new() { Layout = layout, Crashes = 6 }));
        Assert.Equal("Inputs", Param(new() { Layout = layout, Dimension = 1, Inputs = Vectors.Memories([[1.0]]) }));
        Assert.Equal("Inputs", Param(new() { Layout = new ClusterLayout([1]), Dimension = 1, Inputs = Vectors.Memories([[double.NaN]]) }));
        Assert.Equal("layout", Param(new() { Layout = layout, Quorum = QuorumRule.Any(10) }));
    }

    [Fact]
    public void Crashes_stop_processes_but_never_the_survivors()
    {
        var layout = ClusterLayout.Uniform(4, 3);
        var max = QuorumRule.Processes.MaxTolerableCrashes(layout);
        for (var seed = 0; seed < 40; seed++)
        {
            var result = MdaaSimulation.Run(new MdaaSimulationOptions
            {
                Layout = layout, Dimension = 5, Rounds = 6, Seed = seed, Crashes = max,
                Interleaving = (Interleaving)(seed % 5),
            });
            Assert.True(result.AllLiveFinished, $"seed {seed}");
            Assert.True(result.Valid, $"seed {seed}: {result.Violation}");
            Assert.InRange(result.Processes.Count(p => p.Crashed), 0, max);
            Assert.All(result.Processes.Where(p => !p.Crashed), p => Assert.True(p.Finished));
            // Finishing means completing round R, which always yields a round-R value.
            Assert.All(result.Processes.Where(p => p.Finished), p => Assert.NotNull(result.Values[^1][layout.IndexOf(p.Id)]));
        }
    }
}
