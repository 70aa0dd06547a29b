using Akka.Actor;
using Decentral.Nodes.Runtime;

namespace Decentral.Nodes.Tests.Akka;

/// <summary>The layers of an actor system's Akka settings: embedded defaults, the user's block, computed values.</summary>
public sealed class AkkaSettingsTests
{
    [Fact]
    public void Common_settings_come_from_the_embedded_resource_with_the_log_level_computed()
    {
        var config = AkkaSettings.Common("INFO").Resolve();
        Assert.Equal("INFO", config.GetString("akka.loglevel"));
        Assert.Equal("Decentral.Nodes.Runtime.StderrLogger, Decentral.Nodes", config.GetStringList("akka.loggers").Single());
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.exit-clr"));
    }

    [Fact]
    public void A_users_block_overrides_the_defaults_and_computed_values_override_the_user()
    {
        var user = """
            akka.log-dead-letters = on
            akka.loglevel = DEBUG
            akka.actor.ask-timeout = 7s
            """;
        var config = AkkaSettings.Common("ERROR").WithText(user, "user").Resolve();
        Assert.True(config.GetBoolean("akka.log-dead-letters"));
        Assert.Equal(TimeSpan.FromSeconds(7), config.GetDuration("akka.actor.ask-timeout"));
        Assert.Equal("ERROR", config.GetString("akka.loglevel"));
    }

    [Fact]
    public void Later_layers_win_over_earlier_ones_whatever_order_values_are_computed_in()
    {
        var below = AkkaSettings.Empty.WithText("a.x = 1\na.y = 1", "below").Set("a.z", 1);
        var above = AkkaSettings.Empty.WithText("a.x = 2", "above").Set("a.z", 2);
        var config = below.With(above).Resolve();
        Assert.Equal(2, config.GetInt("a.x"));
        Assert.Equal(1, config.GetInt("a.y"));
        Assert.Equal(2, config.GetInt("a.z"));
    }

    [Fact]
    public void Computed_values_are_quoted_and_typed_for_akka()
    {
        var settings = AkkaSettings.Empty
            .Set("s", "a \"quoted\" \\ value")
            .Set("d", TimeSpan.FromMilliseconds(1.2))
            .SetBytes("b", 4096)
            .Set("l", ["c1", "c 2"])
            .Set("f", false);
        var akka = settings.ToAkka();
        Assert.Equal("a \"quoted\" \\ value", akka.GetString("s"));
        Assert.Equal(TimeSpan.FromMilliseconds(2), akka.GetTimeSpan("d"));
        Assert.Equal(4096L, akka.GetByteSize("b"));
        Assert.Equal(["c1", "c 2"], akka.GetStringList("l"));
        Assert.False(akka.GetBoolean("f"));
    }

    [Fact]
    public void A_real_time_system_runs_with_the_layered_settings()
    {
        var settings = AkkaSettings.Common().WithText("akka.actor.ask-timeout = 9s", "user");
        using var system = new RealTimeHost(settings).CreateSystem("layered");
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(9), system.Settings.AskTimeout);
            Assert.Equal("WARNING", system.Settings.LogLevel);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void A_missing_resource_names_the_assembly()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AkkaSettings.Empty.WithResource(typeof(AkkaSettings).Assembly, "nope.conf"));
        Assert.Contains("Decentral.Nodes", e.Message, StringComparison.Ordinal);
        Assert.Contains("nope.conf", e.Message, StringComparison.Ordinal);
    }
}
