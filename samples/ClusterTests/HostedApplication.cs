using Decentral.Hosting;
using Decentral.Nodes.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClusterTests;

/// <summary>An application on the generic host that runs the cluster cluster.conf describes.</summary>
public static class HostedApplication
{
    public static async Task<RunSummary> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddDecentral("app", o =>
        {
            o.ConfigFile = "cluster.conf";
            // or from the application's configuration, e.g. appsettings.json "Decentral": { "sgd": { "iterations": 100 } }:
            // o.Configuration = builder.Configuration.GetSection("Decentral");
        });
        using var host = builder.Build();
        await host.StartAsync();
        var summary = await host.Services.GetRequiredService<DecentralRun>().CompletionAsync();
        await host.StopAsync();
        return summary;
    }
}
