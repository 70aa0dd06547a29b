using System.Globalization;
using Xunit.Abstractions;

namespace Decentral.Host.Tests.Fuzzing;

/// <summary>
/// Issue 24's fuzz harness for the configuration reader and the wire codec. Every input must end in a
/// documented outcome — accepted, or the documented exception (<c>ConfigurationException</c> /
/// <c>HoconException</c>; <c>WireFormatException</c>) — with no other exception type, no input above
/// 1 s of CPU time (<see cref="FuzzHarness.SlowInput"/>) and none allocating more than 256 MB
/// (<see cref="FuzzHarness.HeavyInput"/>). The regular run does 2,000 inputs of each;
/// <c>DECENTRAL_STRESS=1</c> does 10⁶ (or <c>DECENTRAL_FUZZ_INPUTS</c>), within a time budget
/// (<c>DECENTRAL_FUZZ_BUDGET_SECONDS</c>, default 4 h per target) and from a seed
/// (<c>DECENTRAL_FUZZ_SEED</c>, default 24), and appends its figures to <c>DECENTRAL_FUZZ_REPORT</c> when set.
/// A failure names the case; the same seed and case number give the same input.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int DefaultInputs = 2_000;
    private const int StressInputs = 1_000_000;

    [Fact]
    public void Configuration_reader_ends_every_input_in_a_documented_outcome() => FuzzConfigurationReader(DefaultInputs, TimeSpan.FromMinutes(10));

    [Fact]
    public void Wire_codec_ends_every_input_in_a_documented_outcome() => FuzzWireCodec(DefaultInputs, TimeSpan.FromMinutes(10));

    [Fact]
    [Trait("Category", "Stress")]
    public void Stress_configuration_reader()
    {
        var (inputs, budget) = StressSize();
        FuzzConfigurationReader(inputs, budget);
    }

    [Fact]
    [Trait("Category", "Stress")]
    public void Stress_wire_codec()
    {
        var (inputs, budget) = StressSize();
        FuzzWireCodec(inputs, budget);
    }

    /// <summary>Without DECENTRAL_STRESS=1 a short slice of other cases than the regular run, so the test still tests something.</summary>
    private static (int Inputs, TimeSpan Budget) StressSize()
    {
        if (Environment.GetEnvironmentVariable("DECENTRAL_STRESS") != "1")
        {
            return (500, TimeSpan.FromMinutes(10));
        }

        var inputs = int.TryParse(Environment.GetEnvironmentVariable("DECENTRAL_FUZZ_INPUTS"), CultureInfo.InvariantCulture, out var n) ? n : StressInputs;
        var seconds = double.TryParse(Environment.GetEnvironmentVariable("DECENTRAL_FUZZ_BUDGET_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 4 * 3600;
        return (inputs, TimeSpan.FromSeconds(seconds));
    }

    private static ulong Seed(bool stress) =>
        ulong.TryParse(Environment.GetEnvironmentVariable("DECENTRAL_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : stress ? 2_400_000UL : 24UL;

    private void FuzzConfigurationReader(int inputs, TimeSpan budget)
    {
        using var target = new ConfigurationReaderTarget();
        var seed = Seed(inputs != DefaultInputs);
        var figures = FuzzHarness.Run("configuration reader", seed, inputs, budget, n => target.Make(seed, n), target.Check, ConfigurationReaderTarget.Show, Progress);
        Report(figures);

        // The inputs must reach every stage and both outcomes, or the run would prove little.
        Assert.True(figures.Inputs < 1000 || figures.Outcomes.GetValueOrDefault("accepted") > figures.Inputs / 50, "too few inputs are accepted");
        Assert.True(figures.Inputs < 1000 || figures.Outcomes.Keys.Count(k => k.StartsWith("load:", StringComparison.Ordinal)) >= 4, "the load errors lack variety");
        Assert.True(figures.Inputs < 1000 || figures.Outcomes.Keys.Any(k => k.StartsWith("settings:", StringComparison.Ordinal)), "no input reaches the settings reader's checks");
    }

    private void FuzzWireCodec(int inputs, TimeSpan budget)
    {
        var seed = Seed(inputs != DefaultInputs);
        var figures = FuzzHarness.Run("wire codec", seed, inputs, budget, n => WireFrameTarget.Make(seed, n), WireFrameTarget.Check, WireFrameTarget.Show, Progress);
        Report(figures);
        Assert.True(figures.Inputs < 1000 || figures.Outcomes.Count >= 8, "the frames reach too few of the codec's outcomes");
        Assert.True(figures.Inputs < 1000 || figures.Outcomes.GetValueOrDefault("accepted") > figures.Inputs / 50, "too few frames are accepted");
    }

    private void Report(FuzzFigures figures)
    {
        var summary = figures.Summary();
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("DECENTRAL_FUZZ_REPORT") is { Length: > 0 } file)
        {
            var details = figures.Failures.Concat(figures.Flagged).Append($"slowest input (case {figures.MaxTimeCase}): {figures.MaxTimeInput}");
            File.AppendAllText(file, summary + Environment.NewLine + string.Join(Environment.NewLine, details) + Environment.NewLine);
        }

        Assert.True(figures.Failures.Count == 0, string.Join("\n\n", figures.Failures));
        Assert.True(figures.Flagged.Count == 0, "inputs above 1 s or 256 MB:\n" + string.Join("\n\n", figures.Flagged));
    }

    private static void Progress(string line)
    {
        if (Environment.GetEnvironmentVariable("DECENTRAL_FUZZ_REPORT") is { Length: > 0 } file)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
