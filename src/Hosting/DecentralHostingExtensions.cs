using Akka;
using Akka.Actor;
using Akka.Hosting;
using Decentral.Configuration;
using Decentral.Nodes.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Decentral.Hosting;

/// <summary>
/// Decentral inside an application on the generic host with Akka.Hosting. The run's clusters get
/// actor systems of their own (a cluster's nodes share its registers, so a cluster is one system);
/// they start when the application's actor system starts and stop, checkpoints flushed, in its
/// coordinated shutdown. Configuration errors are thrown at start with file, line, column and key.
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

    /// <summary>For applications that call <c>AddAkka</c> themselves: runs Decentral with that actor system's lifetime.</summary>
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

        var runtime = new ClusterRuntime(configured.Spec, new RealTimeHost(logLevel: options.LogLevel), loggerFactory);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "decentral-run", () =>
        {
            runtime.Dispose();
            return Task.FromResult(Done.Instance);
        });
        runtime.Start();
        run.Start(configured, runtime);
    }
}
