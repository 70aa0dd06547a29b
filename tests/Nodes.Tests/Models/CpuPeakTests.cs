using Decentral.Nodes.Models.Bench;

namespace Decentral.Nodes.Tests.Models;

public sealed class CpuPeakTests
{
    private const string Zen3 = """
        processor	: 0
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC 7B13
        cpu MHz		: 2450.000
        flags		: fpu sse sse2 avx fma avx2 bmi2
        processor	: 1
        model name	: AMD EPYC 7B13
        cpu MHz		: 3100.000
        flags		: fpu sse sse2 avx fma avx2 bmi2
        """;

    [Fact]
    public void Avx2_with_fma_is_sixteen_double_flop_per_cycle_at_the_first_cores_clock()
    {
        var peak = CpuPeak.Parse(Zen3);

        Assert.Equal("AMD EPYC 7B13", peak.Model);
        Assert.Equal(2450.0, peak.Megahertz);
        Assert.Equal("avx2+fma", peak.Simd);
        Assert.Equal(16, peak.FlopsPerCycle);
        Assert.Equal(39.2, peak.GflopsPerCore, 10);
    }

    [Theory]
    [InlineData("flags : sse2 avx avx2 fma avx512f", 32)]
    [InlineData("flags : sse2 avx", 8)]
    [InlineData("flags : sse2", 4)]
    public void Flop_per_cycle_follow_the_widest_fma(string flags, int expected)
    {
        Assert.Equal(expected, CpuPeak.Parse($"model name : x\ncpu MHz : 1000\n{flags}\n").FlopsPerCycle);
    }

    [Fact]
    public void An_unreadable_clock_gives_no_peak()
    {
        Assert.True(double.IsNaN(CpuPeak.Parse("model name : x\nflags : avx2 fma\n").GflopsPerCore));
        Assert.True(double.IsNaN(CpuPeak.Detect(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}")).GflopsPerCore));
    }
}
