using System.Globalization;
using System.Runtime.CompilerServices;
using Decentral.Simulation;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Decentral.TestKit;

/// <summary>
/// xunit base class on Akka.TestKit.Xunit2: everything Akka's TestKit gives (<c>Sys</c>,
/// <c>CreateTestProbe</c>, <c>ExpectMsg</c>, <c>AwaitAssert</c>, <c>Within</c>, …) plus a seeded
/// <see cref="Simulator"/> for deterministic runs of real Akka actors in virtual time, and logging to
/// the test output. Seeds come from <c>DECENTRAL_SEED</c> when set, otherwise from the test's name
/// (fixed, so CI is deterministic); the seed and the command that replays the test are written to the
/// output and quoted in every TestKit failure message.
/// </summary>
public abstract class DecentralTestKit : Akka.TestKit.Xunit2.TestKit
{
    public const string SeedVariable = "DECENTRAL_SEED";

    private Simulator? simulator;

    protected DecentralTestKit(ITestOutputHelper output)
        : base((Akka.Configuration.Config?)null, null, output)
    {
        ArgumentNullException.ThrowIfNull(output);
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b =>
            b.SetMinimumLevel(LogLevel.Information).AddProvider(new XunitLoggerProvider(output, () => simulator)));
    }

    protected ILoggerFactory LoggerFactory { get; }

    /// <summary>The simulator made by <see cref="CreateSimulation"/>.</summary>
    protected Simulator Simulation => simulator ?? throw new InvalidOperationException("Call CreateSimulation() first.");

    /// <summary>The seed of the simulation, once created.</summary>
    protected long? Seed => simulator?.Seed;

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

    /// <summary>Creates the test's simulator, seeded for this test (see <see cref="SeedFor"/>); disposed with the test.</summary>
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            simulator?.Dispose();
            LoggerFactory.Dispose();
        }

        base.Dispose(disposing);
    }
}
