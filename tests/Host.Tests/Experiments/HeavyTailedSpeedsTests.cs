using Decentral.Configuration;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Training;

namespace Decentral.Host.Tests.Experiments;

/// <summary>The heavy-tailed speed model is chosen in reference.conf's `decentral.compute-time` for run and simulate too.</summary>
public sealed class HeavyTailedSpeedsTests
{
    private const string Synthetic = "decentral.model.data = \"\"";

    [Fact]
    public void Reference_conf_offers_heavy_tailed_node_speeds_with_a_spread()
    {
        var loaded = ConfigurationLoader.Load(null,
        [
            "decentral.model.data = \"\"",
            "decentral.compute-time { model = fixed, scale = 10ms, speeds = heavy-tailed, spread = 1.5 }",
        ]);
        var settings = SettingsReader.Read(loaded);
        var spec = RunSpecFactory.Build(settings);

        Assert.Equal(SpeedProfile.HeavyTailed, spec.Training.Speeds);
        Assert.Equal(1.5, spec.Training.SpeedSpread);
        var scales = Enumerable.Range(0, spec.Layout.N).Select(spec.Training.ScaleOf).ToList();
        Assert.All(scales.Select((s, i) => (s, i)), p => Assert.Equal(0.01 * WorkerSpeeds.HeavyTailedFactor(spec.Training.Seed, p.i, 1.5), p.s, 15));
        Assert.True(scales.Distinct().Count() == scales.Count);
    }

    [Fact]
    public void The_default_is_uniform_and_a_spread_beyond_four_is_refused()
    {
        Assert.Equal(SpeedProfile.Uniform, RunSpecFactory.Build(SettingsReader.Read(ConfigurationLoader.Load(null, [Synthetic]))).Training.Speeds);
        var e = Assert.Throws<ConfigurationException>(() => SettingsReader.Read(ConfigurationLoader.Load(null, [Synthetic, "decentral.compute-time.spread = 5"])));
        Assert.Contains(e.Errors, x => x.Key == "decentral.compute-time.spread");
    }
}
