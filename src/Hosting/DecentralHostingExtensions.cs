using Akka;
using Akka.Actor;
using Akka.Hosting;
using Decentral.Configuration;
using Decentral.Nodes.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Decentral.Hosting;

/// <summary>
/// Decentral inside an application on the generic host with Akka.Hosting, the way Akka.Cluster.Hosting
/// and Akka.Persistence.Hosting add themselves: the run's node actors live in the application's own
/// actor system (named <c>CLUSTER-nK</c>, beside the application's actors; <see cref="SharedSystemHost"/>),
/// so they share its dispatchers, logging, cluster and CoordinatedShutdown. They start when the system
/// starts and stop, checkpoints flushed, in its coordinated shutdown (before the system terminates).
/// Configuration errors are thrown at start with file, line, column and key.
/// </summary>
public static class DecentralHostingExtensions
{
    /// <summary>
    /// Adds the application's actor system (named <paramref name="actorSystemName"/>) running Decentral,
    /// and a <see cref="DecentralRun"/> singleton to follow the run.
    /// </summary>
    public static IServiceCollection AddDecentral(this IServiceCollection services, string actorSystemName, Action<DecentralOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton<DecentralRun>();
        return services.AddAkka(actorSystemName, (builder, provider) =>
            builder.WithDecentral(provider.GetRequiredService<DecentralRun>(), configure, provider.GetService<ILoggerFactory>()));
    }

    /// <summary>For applications that call <c>AddAkka</c> themselves: runs Decentral inside that actor system, for its lifetime.</summary>
    public static AkkaConfigurationBuilder WithDecentral(
        this AkkaConfigurationBuilder builder, DecentralRun run, Action<DecentralOptions> configure, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new DecentralOptions();
        configure(options);
        return builder.AddStartup((system, _) => Start(system, run, options, loggerFactory));
    }

    private static void Start(ActorSystem system, DecentralRun run, DecentralOptions options, ILoggerFactory? loggerFactory)
    {
        ConfiguredRun configured;
        try
        {
            var overrides = options.Configuration is null ? [] : ConfigurationToHocon.Overrides(options.Configuration).ToList();
            overrides.AddRange(options.Overrides);
            configured = RunConfiguration.Load(options.ConfigFile, overrides);
        }
        catch (ConfigurationException e)
        {
            run.Fail(e);
            throw;
        }

        var runtime = new ClusterRuntime(configured.Spec, new SharedSystemHost(system), loggerFactory);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "decentral-run", () =>
        {
            runtime.Dispose();
            return Task.FromResult(Done.Instance);
        });
        runtime.Start();
        run.Start(configured, runtime);
    }
}
