using System.Globalization;
using Decentral.Simulation.Dst;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Dst;

/// <summary>
/// A long campaign for nightly runs: <c>DECENTRAL_DST_SEEDS=1-100000 dotnet test --filter Category=Stress</c>.
/// Without the variable it runs a short range beyond the regular campaign's, so it still checks something.
/// </summary>
public sealed class DstStressTests(ITestOutputHelper output)
{
    public const string SeedsVariable = "DECENTRAL_DST_SEEDS";

    [Fact]
    [Trait("Category", "Stress")]
    public void A_long_campaign_finds_no_violation()
    {
        var range = Environment.GetEnvironmentVariable(SeedsVariable) is { Length: > 0 } text ? text : "10001-10040";
        var (first, last) = ParseRange(range);
        var campaign = DstCampaign.Run(first, last, jobs: Environment.ProcessorCount);
        output.WriteLine($"seeds {first}-{last}: {campaign.Passed} passed, {campaign.Failed} failed in {campaign.WallTime.TotalSeconds:0.0} s");
        Assert.True(campaign.Failed == 0, string.Join("\n", campaign.Failures.Take(10).Select(f => $"{f.Violation} — replay: {f.Replay}")));
    }

    /// <summary>"A-B" or "N", like `decentral dst --seeds`.</summary>
    private static (long First, long Last) ParseRange(string text)
    {
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        var first = long.Parse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture);
        var last = parts.Length == 2 ? long.Parse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture) : first;
        Assert.True(first <= last, $"{SeedsVariable}={text}: the first seed is larger than the last");
        return (first, last);
    }
}
