using System.Globalization;

namespace Decentral.Nodes.Models.Bench;

/// <summary>
/// The theoretical double-precision peak of one core: clock × FLOP per cycle. The clock is /proc/cpuinfo's
/// "cpu MHz" (on a virtual machine the host's nominal clock; turbo may run faster, so measured figures
/// may exceed a fraction of 1 slightly), the FLOP per cycle follow from the widest vector FMA the
/// flags advertise, assuming two FMA pipes per core as on every x86 server core since Haswell and Zen 2:
/// AVX-512 + FMA 2 × 8 lanes × 2 = 32, AVX2 + FMA 2 × 4 × 2 = 16, AVX (separate add and multiply
/// pipes) 4 + 4 = 8, SSE2 2 + 2 = 4.
/// </summary>
public sealed record CpuPeak(string Model, double Megahertz, string Simd, int FlopsPerCycle)
{
    /// <summary>Peak GFLOP/s of one core (NaN when the clock is unknown).</summary>
    public double GflopsPerCore => Megahertz * FlopsPerCycle / 1000;

    /// <summary>Reads /proc/cpuinfo; on a system without it, the model is "unknown" and the peak NaN.</summary>
    public static CpuPeak Detect(string path = "/proc/cpuinfo")
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path)) : Unknown;
        }
        catch (IOException)
        {
            return Unknown;
        }
        catch (UnauthorizedAccessException)
        {
            return Unknown;
        }
    }

    private static CpuPeak Unknown => new("unknown", double.NaN, "unknown", 0);

    /// <summary>Reads the first processor's "model name", "cpu MHz" and "flags" lines.</summary>
    public static CpuPeak Parse(string cpuinfo)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        string? model = null, mhz = null, flags = null;
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            model ??= key == "model name" ? value : null;
            mhz ??= key == "cpu MHz" ? value : null;
            flags ??= key == "flags" ? value : null;
        }
        var megahertz = double.TryParse(mhz, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : double.NaN;
        var set = new HashSet<string>((flags ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var (simd, perCycle) =
            set.Contains("avx512f") && set.Contains("fma") ? ("avx512+fma", 32)
            : set.Contains("avx2") && set.Contains("fma") ? ("avx2+fma", 16)
            : set.Contains("avx") ? ("avx", 8)
            : set.Contains("sse2") ? ("sse2", 4)
            : ("scalar", 2);
        return new CpuPeak(model ?? "unknown", megahertz, simd, perCycle);
    }
}
