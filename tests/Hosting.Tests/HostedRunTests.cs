using Decentral.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Decentral.Hosting.Tests;

/// <summary>Decentral inside a generic-host application with Akka.Hosting.</summary>
public sealed class HostedRunTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("decentral-hosting-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static async Task<(Nodes.Runtime.RunSummary Summary, DecentralRun Run)> RunHost(Action<DecentralOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDecentral("app", configure);
        using var host = builder.Build();
        await host.StartAsync();
        var run = host.Services.GetRequiredService<DecentralRun>();
        var summary = await run.CompletionAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();
        return (summary, run);
    }

    [Fact]
    public async Task A_hocon_file_configures_a_run_that_finishes_inside_the_application()
    {
        var file = Path.Combine(folder, "cluster.conf");
        File.WriteAllText(file, """
            decentral {
              cluster { clusters = 3, cluster-size = 2 }
              model { objective = logistic-l2, data = "", synthetic { rows = 200, features = 5 } }
              sgd.iterations = 40
              compute-time.model = none
            }
            """);
        var (summary, run) = await RunHost(o => o.ConfigFile = file);
        Assert.True(summary.Completed);
        Assert.Equal(6, summary.Final.LiveNodes);
        Assert.Equal(40, run.Configuration!.Spec.Protocol.Iterations);
    }

    [Fact]
    public async Task An_IConfiguration_section_configures_the_run_including_lists()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Decentral:cluster:sizes:0"] = "2",
            ["Decentral:cluster:sizes:1"] = "3",
            ["Decentral:model:data"] = "",
            ["Decentral:model:synthetic:rows"] = "150",
            ["Decentral:model:synthetic:features"] = "4",
            ["Decentral:sgd:iterations"] = "25",
        }).Build();
        var (summary, run) = await RunHost(o => o.Configuration = configuration.GetSection("Decentral"));
        Assert.True(summary.Completed);
        Assert.Equal(5, summary.Nodes);
        Assert.Equal([2, 3], run.Configuration!.Spec.Layout.Sizes);
        Assert.Equal(25, run.Configuration.Spec.Protocol.Iterations);
    }

    [Fact]
    public void A_bad_key_fails_the_start_with_its_position()
    {
        var file = Path.Combine(folder, "bad.conf");
        File.WriteAllText(file, "decentral.sgd.iteratoins = 3\n");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDecentral("app", o => o.ConfigFile = file);
        using var host = builder.Build();
        var error = Assert.ThrowsAny<Exception>(() => host.StartAsync().GetAwaiter().GetResult());
        var configuration = FindConfigurationError(error);
        Assert.Contains("bad.conf:1:", configuration.Message, StringComparison.Ordinal);
        Assert.Contains("iteratoins", configuration.Message, StringComparison.Ordinal);
    }

    private static ConfigurationException FindConfigurationError(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is ConfigurationException c)
            {
                return c;
            }

            if (x is AggregateException a && a.InnerExceptions.Select(FindConfigurationErrorOrNull).FirstOrDefault(i => i is not null) is { } inner)
            {
                return inner;
            }
        }

        throw new Xunit.Sdk.XunitException($"no ConfigurationException in {e}");
    }

    private static ConfigurationException? FindConfigurationErrorOrNull(Exception e)
    {
        try
        {
            return FindConfigurationError(e);
        }
        catch (Xunit.Sdk.XunitException)
        {
            return null;
        }
    }
}
