using System.Text.Json;
using Decentral.Remote;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// `decentral bench remote --baseline`: per configuration the product's path with decentral's GC settings
/// (decentral.runtimeconfig.json plus the launcher's environment), the same path with .NET's default GC,
/// and the plain baseline, each in its own child process; the report shows which GC settings each process
/// really ran with (the runtime's own view), so the shipped settings are checked, not assumed.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class BenchBaselineTests(ITestOutputHelper output) : IDisposable
{
    private readonly Deployment _deployment = new(output, iterations: 10, computeScale: "1ms");

    [Fact]
    public void Baseline_arms_run_in_the_same_invocation_and_each_process_reports_the_gc_settings_it_ran_with()
    {
        var (code, stdout, _) = _deployment.Cli("bench", "remote", "--dims", "2000", "--clusters", "2", "--seconds", "0.2", "--baseline", "--json");

        Assert.Equal(0, code);
        var results = JsonSerializer.Deserialize<Report>(stdout, AdminJson.RunShaped)!.Results;
        Assert.Equal(["decentral", "decentral-default-gc", "baseline"], results.Select(r => r.Variant));
        var (product, defaultGc, plain) = (results[0], results[1], results[2]);
        Assert.All(results, r => Assert.True(r.Iterations >= 3 && r.Dimension == 2000 && r.Clusters == 2));
        Assert.Equal(plain.MsPerIteration / product.MsPerIteration, product.SpeedupOverBaseline!.Value, 1e-9);
        Assert.Equal(plain.MsPerIteration / defaultGc.MsPerIteration, defaultGc.SpeedupOverBaseline!.Value, 1e-9);
        Assert.Null(plain.SpeedupOverBaseline);

        // What decentral ships: 64 MB regions and a 16 MB LOH threshold from its runtimeconfig.json, the
        // 128 MB gen0 budget from the environment the launcher sets (the GC reports it as Gen0MaxBudget).
        Assert.Equal("67108864", product.Gc!["GCRegionSize"]);
        Assert.Equal("16777216", product.Gc["LOHThreshold"]);
        Assert.Equal("True", product.Gc["RetainVM"]);
        Assert.Equal("134217728", product.Gc["GCGen0MaxBudget"]);

        // The other two arms: .NET's defaults.
        foreach (var r in new[] { defaultGc, plain })
        {
            Assert.Equal("85000", r.Gc!["LOHThreshold"]);
            Assert.Equal("False", r.Gc["RetainVM"]);
            Assert.Equal("", r.Gc["DOTNET_GCgen0size"]);
            Assert.NotEqual("134217728", r.Gc["GCGen0MaxBudget"]);
        }
    }

    public void Dispose() => _deployment.Dispose();

    private sealed record Report(string Bench, IReadOnlyList<RemoteBenchResult> Results);
}
