using Decentral.Configuration;
using Decentral.Nodes.Runtime;

namespace Decentral.Host.Tests.Configuration;

/// <summary>A configuration file's own <c>akka { }</c> block reaches the actor systems a run creates.</summary>
public sealed class AkkaBlockTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    [Fact]
    public void The_files_akka_block_lies_over_the_embedded_defaults_of_every_real_time_system()
    {
        var file = _files.Write("with-akka.conf", $$"""
            decentral.model.data = "{{ConfigFiles.BreastCancer.Replace("\\", "/", StringComparison.Ordinal)}}"
            akka {
              actor.ask-timeout = 11s
              log-dead-letters = on
            }
            """);
        var spec = RunConfiguration.Load(file).Spec;
        Assert.NotNull(spec.AkkaOverrides);
        using var system = RealTimeHost.For(spec).CreateSystem("with-akka");
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(11), system.Settings.AskTimeout);
            Assert.True(system.Settings.Config.GetBoolean("akka.log-dead-letters"));
            Assert.Equal("WARNING", system.Settings.LogLevel);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void Without_an_akka_block_the_spec_carries_none()
    {
        var file = _files.Write("plain.conf", $$"""
            decentral.model.data = "{{ConfigFiles.BreastCancer.Replace("\\", "/", StringComparison.Ordinal)}}"
            """);
        Assert.Null(RunConfiguration.Load(file).Spec.AkkaOverrides);
    }

    [Fact]
    public void An_akka_key_that_is_not_an_object_is_a_positioned_error()
    {
        var file = _files.Write("bad-akka.conf", $$"""
            decentral.model.data = "{{ConfigFiles.BreastCancer.Replace("\\", "/", StringComparison.Ordinal)}}"
            akka = 3
            """);
        var e = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(file));
        Assert.Contains("akka", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad-akka.conf:2", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
