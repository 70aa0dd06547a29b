using System.Diagnostics;
using Decentral.Simulation.Dst;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Dst;

public sealed class ScratchPerf(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Scratch")]
    public void Perf()
    {
        var spec = Environment.GetEnvironmentVariable("SCRATCH_SEEDS") ?? "1-100";
        var parts = spec.Split('-');
        var first = long.Parse(parts[0]); var last = long.Parse(parts[1]);
        var jobs = int.Parse(Environment.GetEnvironmentVariable("SCRATCH_JOBS") ?? "2");
        var sw = Stopwatch.StartNew();
        var campaign = DstCampaign.Run(first, last, jobs: jobs);
        var f = (double)Stopwatch.Frequency;
        output.WriteLine($"seeds {first}-{last} jobs {jobs}: {campaign.Passed} passed {campaign.Failed} failed in {sw.Elapsed.TotalSeconds:0.00} s = {(last - first + 1) / sw.Elapsed.TotalSeconds:0.0} seeds/s");
        output.WriteLine($"create {DstRunner.PerfCreate / f:0.00} s, run {DstRunner.PerfRun / f:0.00} s, runtime.Dispose {DstRunner.PerfRuntimeDispose / f:0.00} s, sim.Dispose {DstRunner.PerfSimDispose / f:0.00} s (summed over threads)");
        output.WriteLine($"events {campaign.Results.Sum(r => r.Events)}, virtual {campaign.Results.Sum(r => r.VirtualTime.TotalSeconds):0} s");
        foreach (var r in campaign.Failures.Take(10))
        {
            output.WriteLine($"FAIL seed {r.Seed}: {r.Violation}\n  {string.Join("\n  ", r.Tail)}");
        }
        foreach (var r in campaign.Results.OrderByDescending(r => r.WallTime).Take(5))
        {
            output.WriteLine($"slow seed {r.Seed}: {r.WallTime.TotalMilliseconds:0} ms, {r.Events} events, n={r.Scenario.Layout.N} T={r.Scenario.Iterations}");
        }
    }
}
