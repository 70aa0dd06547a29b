using System.Globalization;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Decentral.Simulation;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Decentral.TestKit;

/// <summary>
/// xunit base class on Akka.TestKit.Xunit2: everything Akka's TestKit gives (<c>Sys</c>,
/// <c>CreateTestProbe</c>, <c>ExpectMsg</c>, <c>AwaitAssert</c>, <c>Within</c>, …) plus a seeded
/// <see cref="Simulator"/> for deterministic runs of real Akka actors in virtual time, and logging to
/// the test output. Once the test has called <see cref="CreateSimulation"/>, Akka's timed waits on
/// the test kit and on its probes run that simulation, with timeouts in virtual time
/// (<see cref="VirtualTimeTestKit"/>). Seeds come from <c>DECENTRAL_SEED</c> when set, otherwise from
/// the test's name (fixed, so CI is deterministic); the seed and the command that replays the test
/// are written to the output and quoted in every virtual-time failure.
/// </summary>
/// <remarks>
/// Quiet by default: Akka's own logging (the test kit's actor system, e.g. CoordinatedShutdown's
/// INFO lines) is at WARNING; pass <c>"akka.loglevel = INFO"</c> (or DEBUG) as the configuration to see more.
/// </remarks>
public abstract class DecentralTestKit : VirtualTimeTestKit
{
    public const string SeedVariable = "DECENTRAL_SEED";

    /// <summary>
    /// What the test kit's actor system adds to Akka.TestKit's defaults: Akka's logging at WARNING, and
    /// the node events bound to Hyperion (they stay in process, but every message type gets a binary serializer).
    /// </summary>
    public const string DefaultAkkaConfig = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor {
            serializers.hyperion = "Akka.Serialization.HyperionSerializer, Akka.Serialization.Hyperion"
            serialization-bindings { "Decentral.TestKit.NodeEvent, Decentral.TestKit" = hyperion }
          }
        }
        """;

    [ThreadStatic]
    private static DecentralTestKit? current;

    private readonly List<WeakReference<LocalCluster>> foreignClusters = [];
    private readonly DecentralTestKit? previous;
    private Simulator? simulator;

    /// <param name="output">xunit's test output: Akka's and Decentral's log lines go there.</param>
    /// <param name="akkaConfig">HOCON laid over <see cref="DefaultAkkaConfig"/> for the test kit's actor system (e.g. <c>"akka.loglevel = DEBUG"</c>).</param>
    protected DecentralTestKit(ITestOutputHelper output, string? akkaConfig = null)
        : base(ConfigFor(akkaConfig), output)
    {
        ArgumentNullException.ThrowIfNull(output);
        TestOutputLogging.Install(Sys, output);
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b =>
            b.SetMinimumLevel(LogLevel.Information).AddProvider(new XunitLoggerProvider(output, () => simulator)));
        // Akka.TestKit keeps the test's actor in a thread-static as well: xunit runs a test's constructor and body on one thread.
        previous = current;
        current = this;
    }

    protected ILoggerFactory LoggerFactory { get; }

    /// <summary>The simulator made by <see cref="CreateSimulation"/>.</summary>
    protected Simulator Simulation => simulator ?? throw new InvalidOperationException("Call CreateSimulation() first.");

    /// <summary>The seed of the simulation, once created.</summary>
    protected long? Seed => simulator?.Seed;

    private protected override Simulator? ActiveSimulation => simulator;

    private protected override string? WaitMisuse
    {
        get
        {
            if (simulator is not null)
            {
                return null;
            }
            lock (foreignClusters)
            {
                foreignClusters.RemoveAll(w => !w.TryGetTarget(out var c) || c.IsDisposed);
                return foreignClusters.Count == 0
                    ? null
                    : "This test runs a simulated LocalCluster on a Simulator that the test kit did not create, so Akka's waits " +
                      "(AwaitAssert, ExpectMsg, Within, …) would wait on the wall clock while the simulation stands still. " +
                      "Create the simulation with CreateSimulation() and pass it to LocalCluster.Simulated, or drive your " +
                      "simulator yourself (cluster.AwaitCondition, cluster.RunFor).";
            }
        }
    }

    /// <summary>The seed a test runs with: DECENTRAL_SEED if set, else a stable hash of the test's full name.</summary>
    public static long SeedFor(string fullTestName)
    {
        ArgumentNullException.ThrowIfNull(fullTestName);
        var text = Environment.GetEnvironmentVariable(SeedVariable);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        var hash = 14695981039346656037UL;
        foreach (var c in fullTestName)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (long)(hash & 0x7FFF_FFFF);
    }

    /// <summary>The command line that re-runs one test with one seed.</summary>
    public static string ReplayCommand(string fullTestName, long seed) =>
        $"{SeedVariable}={seed} dotnet test --filter \"FullyQualifiedName~{fullTestName}\"";

    /// <summary>
    /// Creates the test's simulator, seeded for this test (see <see cref="SeedFor"/>); disposed with the
    /// test. From now on Akka's waits on this test kit and its probes run it, in virtual time.
    /// </summary>
    protected Simulator CreateSimulation(SimulationSettings? settings = null, [CallerMemberName] string testName = "")
    {
        if (simulator is not null)
        {
            throw new InvalidOperationException("This test already has a simulation.");
        }

        var fullName = $"{GetType().FullName}.{testName}";
        var seed = SeedFor(fullName);
        simulator = new Simulator(seed, settings) { ReplayHint = ReplayCommand(fullName, seed) };
        Output.WriteLine($"Simulation seed {seed}. Replay: {simulator.ReplayHint}");
        return simulator;
    }

    /// <summary>
    /// Akka's CreateTestProbe, returning a probe whose waits run the test's simulation (virtual time) once
    /// there is one. Keep it typed as returned: through a plain <see cref="Akka.TestKit.TestProbe"/>
    /// reference its waits are Akka's wall-clock ones.
    /// </summary>
    public new DecentralTestProbe CreateTestProbe(string? name = null) => CreateTestProbe(Sys, name);

    /// <inheritdoc cref="CreateTestProbe(string?)"/>
    public new DecentralTestProbe CreateTestProbe(ActorSystem system, string? name = null) =>
        new(system, Assertions, name, () => simulator, () => WaitMisuse);

    /// <summary>Called by <see cref="LocalCluster.Simulated"/>: a cluster on a simulator that is not this test's makes Akka's waits fail fast.</summary>
    internal static void OnSimulatedCluster(LocalCluster cluster, Simulator simulation)
    {
        var kit = current;
        if (kit is null || ReferenceEquals(kit.simulator, simulation))
        {
            return;
        }
        lock (kit.foreignClusters)
        {
            kit.foreignClusters.Add(new WeakReference<LocalCluster>(cluster));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (ReferenceEquals(current, this))
            {
                current = previous;
            }
            simulator?.Dispose();
            LoggerFactory.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Config ConfigFor(string? akkaConfig)
    {
        var defaults = ConfigurationFactory.ParseString(DefaultAkkaConfig);
        return string.IsNullOrWhiteSpace(akkaConfig) ? defaults : ConfigurationFactory.ParseString(akkaConfig).WithFallback(defaults);
    }
}
