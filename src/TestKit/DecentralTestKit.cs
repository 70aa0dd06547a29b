using System.Globalization;
using System.Runtime.CompilerServices;
using Decentral.Actors;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Decentral.TestKit;

/// <summary>
/// xunit base class: logging to the test output, a seeded <see cref="Simulation"/> or real-time
/// systems, probes, faults and awaits. Seeds come from <c>DECENTRAL_SEED</c> when set, otherwise from
/// the test's name (fixed, so CI is deterministic). The seed and the command that replays the test are
/// written to the output (xunit shows it with a failure) and quoted in every TestKit failure message.
/// </summary>
public abstract class DecentralTestKit : IDisposable
{
    public const string SeedVariable = "DECENTRAL_SEED";

    private readonly List<ActorSystem> _realSystems = [];
    private Simulation? _simulation;
    private ActorSystem? _defaultSystem;
    private TestTime? _time;
    private Faults? _faults;

    protected DecentralTestKit(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Output = output;
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b =>
            b.SetMinimumLevel(LogLevel.Information).AddProvider(new XunitLoggerProvider(output, () => _simulation)));
    }

    protected ITestOutputHelper Output { get; }

    protected ILoggerFactory LoggerFactory { get; }

    /// <summary>The simulation made by <see cref="CreateSimulation"/>.</summary>
    protected Simulation Simulation => _simulation ?? throw new InvalidOperationException("Call CreateSimulation() first.");

    /// <summary>The seed of the simulation, once created.</summary>
    protected long? Seed => _simulation?.Seed;

    /// <summary>How this kit waits: virtual once a simulation exists, real time otherwise.</summary>
    protected TestTime Time => _time ??= _simulation is null ? TestTime.Real() : TestTime.For(_simulation);

    /// <summary>Fault commands on the simulation's systems (or on targets given to <see cref="UseFaultTargets"/>).</summary>
    protected Faults Faults => _faults ??= new Faults(Simulation.FaultTargets);

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

    /// <summary>Creates the test's simulation, seeded for this test (see <see cref="SeedFor"/>).</summary>
    protected Simulation CreateSimulation(SimulationSettings? settings = null, [CallerMemberName] string testName = "")
    {
        if (_simulation is not null)
        {
            throw new InvalidOperationException("This test already has a simulation.");
        }

        var fullName = $"{GetType().FullName}.{testName}";
        var seed = SeedFor(fullName);
        settings ??= SimulationSettings.Default;
        _simulation = new Simulation(seed, settings with { LoggerFactory = settings.LoggerFactory ?? LoggerFactory })
        {
            ReplayHint = ReplayCommand(fullName, seed),
        };
        _time = TestTime.For(_simulation);
        Output.WriteLine($"Simulation seed {seed}. Replay: {_simulation.ReplayHint}");
        return _simulation;
    }

    /// <summary>A system in the simulation if there is one, else a real-time thread-pool system (terminated on dispose).</summary>
    protected ActorSystem CreateSystem(string name, ActorSystemSettings? settings = null)
    {
        settings ??= ActorSystemSettings.Default;
        if (_simulation is not null)
        {
            return _simulation.CreateSystem(name, settings);
        }

        var system = ActorSystem.Create(name, settings with { LoggerFactory = LoggerFactory });
        _realSystems.Add(system);
        return system;
    }

    /// <summary>A probe in <paramref name="system"/>, or in the kit's own "testkit" system.</summary>
    protected TestProbe CreateTestProbe(ActorSystem? system = null, string? name = null)
    {
        system ??= _defaultSystem ??= CreateSystem("testkit");
        return new TestProbe(system, name, system.Simulation is null ? TestTime.Real() : Time);
    }

    /// <summary>Uses other fault targets (a LocalCluster) for <see cref="Faults"/>.</summary>
    protected void UseFaultTargets(IFaultTargets targets) => _faults = new Faults(targets);

    protected void AwaitAssert(Action assertion, TimeSpan? max = null, TimeSpan? interval = null) =>
        Time.AwaitAssert(assertion, max, interval);

    protected void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null) =>
        Time.AwaitCondition(condition, max, interval, message);

    protected void Within(TimeSpan max, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Time.Within(TimeSpan.Zero, max, () =>
        {
            action();
            return 0;
        });
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var system in _realSystems)
        {
            // Bounded: a system that will not stop must not hang the test run.
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }

        LoggerFactory.Dispose();
    }
}
