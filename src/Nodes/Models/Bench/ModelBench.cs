using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Decentral.Agreement;
using Decentral.Nodes.Models.Kernels;
using Decentral.Nodes.Models.Mlp;

namespace Decentral.Nodes.Models.Bench;

/// <summary>One matrix product measured: op(A) m×k times op(B) k×n, blocked kernel against the triple loop.</summary>
public sealed record GemmBenchResult(string Shape, string Form, int M, int N, int K, double BlockedGflops, double BaselineGflops, double FractionOfPeak)
{
    public double Speedup => BlockedGflops / BaselineGflops;
}

/// <summary>One MLP measured: examples per second through LossAndGradient on one core, blocked kernel against the triple loop.</summary>
public sealed record MlpBenchResult(
    string Model, string Data, int Batch, int Parameters, double ExamplesPerSecond, double BaselineExamplesPerSecond, double Gflops, double BaselineGflops)
{
    public double Speedup => ExamplesPerSecond / BaselineExamplesPerSecond;
}

/// <summary>
/// What `decentral bench model` reports. <see cref="CpuShare"/> is the process's CPU time over the wall
/// time of the measurements: near 1 on an idle machine, lower when other work shared the cores.
/// </summary>
public sealed record ModelBenchReport(
    CpuPeak Cpu, double SecondsPerMeasurement, int Rounds, double CpuShare, IReadOnlyList<GemmBenchResult> Gemm, IReadOnlyList<MlpBenchResult> Mlp);

/// <summary>
/// `decentral bench model`: the blocked matrix multiply's GFLOP/s against the plain triple loop, and an
/// MLP's gradients per second per core with either kernel, beside the core's theoretical peak
/// (<see cref="CpuPeak"/>). Everything runs on the calling thread. Rates are per second of the process's
/// CPU time (<see cref="Environment.CpuUsage"/>), i.e. per core: on a machine shared with other work a
/// wall-clock rate would measure the neighbours, not the code. Each figure is the median of
/// <see cref="Rounds"/> rounds, and the product's and the baseline's rounds alternate, so both see the
/// same cache pressure.
/// </summary>
public sealed class ModelBench(double secondsPerMeasurement)
{
    /// <summary>Rounds per measurement; the median is reported.</summary>
    public const int Rounds = 5;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, // as `run --json` and `bench remote --json`
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The products measured: square sizes, then the shapes of the MLPs' passes at their batch sizes
    /// (m×k times k×n; the weight gradient is Xᵀ·δ, the back-propagation δ·Wᵀ).
    /// </summary>
    public static IReadOnlyList<(string Shape, bool TransposeA, bool TransposeB, int M, int N, int K)> GemmShapes { get; } =
    [
        ("64x64x64", false, false, 64, 64, 64),
        ("256x256x256", false, false, 256, 256, 256),
        ("digits output layer, forward (batch 64)", false, false, 64, 10, 64),
        ("w8a layer 1, forward (batch 256)", false, false, 256, 512, 300),
        ("w8a layer 2, weight gradient", true, false, 512, 512, 256),
        ("w8a layer 2, back-propagation", false, true, 256, 512, 512),
    ];

    public ModelBenchReport Run(Action<string>? progress = null)
    {
        if (!(secondsPerMeasurement > 0 && secondsPerMeasurement <= 600))
        {
            throw new ArgumentOutOfRangeException(nameof(secondsPerMeasurement), secondsPerMeasurement, "Seconds per measurement must lie in (0, 600].");
        }
        var cpu = CpuPeak.Detect();
        var (wall, cpuTime) = (Stopwatch.StartNew(), Environment.CpuUsage.TotalTime);
        var gemm = new List<GemmBenchResult>();
        foreach (var (shape, ta, tb, m, n, k) in GemmShapes)
        {
            progress?.Invoke($"gemm {shape}");
            gemm.Add(MeasureGemm(shape, ta, tb, m, n, k, cpu));
        }
        var mlp = new List<MlpBenchResult>();
        foreach (var workload in BenchWorkloads.All)
        {
            progress?.Invoke($"mlp {workload.Architecture}");
            mlp.Add(MeasureMlp(workload));
        }
        var share = (Environment.CpuUsage.TotalTime - cpuTime) / wall.Elapsed;
        return new ModelBenchReport(cpu, secondsPerMeasurement, Rounds, share, gemm, mlp);
    }

    private GemmBenchResult MeasureGemm(string shape, bool ta, bool tb, int m, int n, int k, CpuPeak cpu)
    {
        var random = new SeededRandom(0xBE7C4);
        var a = new double[m * k];
        var b = new double[k * n];
        var c = new double[m * n];
        foreach (var array in new[] { a, b })
        {
            for (var i = 0; i < array.Length; i++)
            {
                array[i] = random.NextDouble() - 0.5;
            }
        }
        var blocked = new BlockedGemm();
        var loop = new TripleLoopGemm();
        var (fast, slow) = Compare(
            () => blocked.Multiply(a, ta, b, tb, c, m, n, k, accumulate: false),
            () => loop.Multiply(a, ta, b, tb, c, m, n, k, accumulate: false));
        var flops = 2.0 * m * n * k / 1e9;
        var form = (ta ? "At" : "A") + "*" + (tb ? "Bt" : "B"); // ASCII, for the JSON's readers
        return new GemmBenchResult(shape, form, m, n, k, fast * flops, slow * flops, fast * flops / cpu.GflopsPerCore);
    }

    private MlpBenchResult MeasureMlp(BenchWorkload workload)
    {
        var architecture = workload.Architecture;
        var blocked = new MlpModel(architecture);
        var loop = new MlpModel(architecture, new TripleLoopGemm());
        var parameters = new double[blocked.Dimension];
        var gradient = new double[blocked.Dimension];
        blocked.InitializeParameters(1, parameters);
        var batches = workload.Batches;
        var (i, j) = (0, 0);
        var (fast, slow) = Compare(
            () => blocked.LossAndGradient(parameters, workload.Data, batches[i++ % batches.Length], gradient),
            () => loop.LossAndGradient(parameters, workload.Data, batches[j++ % batches.Length], gradient));
        // Multiply-adds per example: forward, the weights' gradients, and the errors below every layer but the first.
        var f = architecture.ForwardMultiplyAdds;
        var gflop = 2.0 * (f + f + f - ((long)architecture.Width(0) * architecture.Width(1))) / 1e9;
        var batch = batches[0].Length;
        return new MlpBenchResult(architecture.ToString(), workload.Data.Name, batch, blocked.Dimension,
            fast * batch, slow * batch, fast * batch * gflop, slow * batch * gflop);
    }

    /// <summary>Calls per second of each action: the median of <see cref="Rounds"/> alternating rounds, after one warm-up call each.</summary>
    private (double Product, double Baseline) Compare(Action product, Action baseline)
    {
        product();
        baseline();
        var perRound = secondsPerMeasurement / Rounds;
        var productRates = new double[Rounds];
        var baselineRates = new double[Rounds];
        for (var r = 0; r < Rounds; r++)
        {
            productRates[r] = Rate(product, perRound);
            baselineRates[r] = Rate(baseline, perRound);
        }
        Array.Sort(productRates);
        Array.Sort(baselineRates);
        return (productRates[Rounds / 2], baselineRates[Rounds / 2]);
    }

    /// <summary>Calls per CPU-second, calling for <paramref name="seconds"/> of CPU time.</summary>
    private static double Rate(Action action, double seconds)
    {
        var start = Environment.CpuUsage.TotalTime;
        long calls = 0;
        long between = 1; // calls between two reads of the clock (a system call), doubled while they are short
        double used;
        do
        {
            for (var i = 0; i < between; i++)
            {
                action();
            }
            calls += between;
            used = (Environment.CpuUsage.TotalTime - start).TotalSeconds;
            between = used * 100 < seconds ? between * 2 : between;
        }
        while (used < seconds);
        return calls / used;
    }

    public static string ToJson(ModelBenchReport report) => JsonSerializer.Serialize(new { bench = "model", report }, Json);

    public static void WriteTable(ModelBenchReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;
        var cpu = report.Cpu;
        output.WriteLine(string.Create(inv, $"CPU: {cpu.Model}, {cpu.Megahertz:F0} MHz, {cpu.Simd}: {cpu.FlopsPerCycle} double FLOP/cycle → peak {cpu.GflopsPerCore:F1} GFLOP/s per core"));
        output.WriteLine(string.Create(inv,
            $"(one thread, rates per CPU-second; median of {report.Rounds} rounds, {report.SecondsPerMeasurement:G3} CPU-s per measurement; the process had {report.CpuShare:P0} of a core)"));
        output.WriteLine();
        output.WriteLine($"{"matrix product",-42} {"form",-6} {"blocked GFLOP/s",16} {"triple loop",12} {"speedup",8} {"of peak",8}");
        foreach (var g in report.Gemm)
        {
            output.WriteLine(string.Create(inv, $"{g.Shape,-42} {g.Form,-6} {g.BlockedGflops,16:F2} {g.BaselineGflops,12:F2} {g.Speedup,7:F1}× {g.FractionOfPeak,8:P0}"));
        }
        output.WriteLine();
        output.WriteLine($"{"model",-28} {"data",-14} {"batch",6} {"params",8} {"examples/s",12} {"triple loop",12} {"speedup",8} {"GFLOP/s",8}");
        foreach (var m in report.Mlp)
        {
            output.WriteLine(string.Create(inv,
                $"{m.Model,-28} {m.Data,-14} {m.Batch,6} {m.Parameters,8} {m.ExamplesPerSecond,12:F0} {m.BaselineExamplesPerSecond,12:F0} {m.Speedup,7:F1}× {m.Gflops,8:F2}"));
        }
    }
}
