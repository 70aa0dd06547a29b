using Akka.Actor;
using Akka.Actor.Setup;
using Decentral.Nodes.Network;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// Where a <see cref="ClusterRuntime"/>'s actor systems live and what clock they run on: real time
/// (<see cref="RealTimeHost"/>) or the deterministic simulation (virtual time, Decentral.Simulation).
/// The runtime and its actors are the same code under both.
/// </summary>
public interface IActorHost
{
    /// <summary>True under the simulation (virtual time, one thread).</summary>
    bool IsVirtual { get; }

    /// <summary>Time since the host was created: virtual or wall.</summary>
    TimeSpan Elapsed { get; }

    /// <summary>The clock the network delays messages with.</summary>
    INetworkClock Clock { get; }

    /// <summary>Creates the actor system of one cluster (or hands out the one system every cluster shares).</summary>
    ActorSystem CreateSystem(string name);

    /// <summary>
    /// True when every cluster runs in one actor system that is not the runtime's own (an application's,
    /// <see cref="SharedSystemHost"/>): node actors then carry their cluster in their names, and the
    /// runtime stops its actors instead of the system.
    /// </summary>
    bool SharesSystem => false;

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/>, outside every actor's turn.</summary>
    void Schedule(TimeSpan delay, Action action);

    /// <summary>
    /// Stops <paramref name="drainFirst"/> after the messages it already holds (a checkpoint writer),
    /// then the systems this host created for a runtime, and waits (bounded) until they have terminated.
    /// </summary>
    void Terminate(IReadOnlyList<ActorSystem> systems, IActorRef? drainFirst);
}

/// <summary>Real time: Akka's thread-pool dispatcher and scheduler, .NET timers for the network.</summary>
public sealed class RealTimeHost : IActorHost
{
    /// <summary>How long shutdown waits for a system to terminate before giving up on it.</summary>
    public static readonly TimeSpan TerminateTimeout = TimeSpan.FromSeconds(10);

    private readonly long origin = TimeProvider.System.GetTimestamp();
    private readonly AkkaSettings settings;
    private readonly Func<string, ActorSystemSetup>? setup;

    /// <param name="extraConfig">HOCON laid over the common settings (e.g. remoting; see <see cref="AkkaSettings"/>).</param>
    /// <param name="logLevel">Akka's log level.</param>
    /// <param name="setup">
    /// Programmatic settings of the system of a given name beside the configuration (e.g. Akka.Remote's
    /// TLS certificate and its validation, which HOCON cannot express); null: configuration only.
    /// </param>
    public RealTimeHost(string? extraConfig = null, string logLevel = "WARNING", Func<string, ActorSystemSetup>? setup = null)
        : this(AkkaSettings.Common(logLevel).WithText(extraConfig, "settings of the real-time host"), setup)
    {
    }

    /// <param name="settings">The systems' Akka settings, common ones included (<see cref="AkkaSettings.Common"/>).</param>
    /// <param name="setup">Programmatic settings of the system of a given name beside the configuration (null: configuration only).</param>
    public RealTimeHost(AkkaSettings settings, Func<string, ActorSystemSetup>? setup = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.settings = settings;
        this.setup = setup;
    }

    /// <summary>The host of <paramref name="spec"/>'s systems: the common settings under the spec's own Akka block (<see cref="ClusterRunSpec.AkkaOverrides"/>).</summary>
    public static RealTimeHost For(ClusterRunSpec spec, string logLevel = "WARNING")
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new RealTimeHost(AkkaSettings.Common(logLevel).WithText(spec.AkkaOverrides, "the akka block of the configuration"));
    }

    public bool IsVirtual => false;

    public TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(origin);

    public INetworkClock Clock => SystemNetworkClock.Instance;

    public ActorSystem CreateSystem(string name)
    {
        var config = settings.ToAkka();
        return setup is null
            ? ActorSystem.Create(name, config)
            : ActorSystem.Create(name, setup(name).And(BootstrapSetup.Create().WithConfig(config)));
    }

    public void Schedule(TimeSpan delay, Action action) => SystemNetworkClock.Instance.Schedule(delay, action);

    public void Terminate(IReadOnlyList<ActorSystem> systems, IActorRef? drainFirst)
    {
        ArgumentNullException.ThrowIfNull(systems);
        if (drainFirst is not null)
        {
            try
            {
                drainFirst.GracefulStop(TerminateTimeout).Wait(TerminateTimeout);
            }
            catch (AggregateException)
            {
                // Timed out or already gone: the systems' termination below stops it anyway.
            }
        }

        var all = systems.Select(s => s.Terminate()).ToArray();
        if (!Task.WaitAll(all, TerminateTimeout))
        {
            Console.Error.WriteLine($"warning: an actor system did not terminate within {TerminateTimeout.TotalSeconds:0} s");
        }
    }
}
