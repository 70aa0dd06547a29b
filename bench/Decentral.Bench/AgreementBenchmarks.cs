using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Decentral.Agreement;

namespace Decentral.Bench;

/// <summary>
/// The agreement kernels over k vectors of dimension d, next to a plain copy of the same k·d doubles in the
/// same run (this machine's memory bandwidth). The "GB/s" column counts the bytes of input a kernel reads
/// once (k·d·8) and, for the copy, the bytes read plus written (2·k·d·8); the kernel/copy ratio of that
/// column is the figure of merit: 1 means the kernel runs at memory speed.
/// </summary>
[Config(typeof(Config))]
public class AgreementBenchmarks
{
    private List<ReadOnlyMemory<double>> inputs = [];
    private double[][] copies = [];
    private double[] output = [];

    [Params(3, 9, 33)]
    public int K { get; set; }

    [Params(1_000, 100_000, 1_000_000)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        inputs = [];
        copies = new double[K][];
        for (var i = 0; i < K; i++)
        {
            var v = new double[D];
            for (var c = 0; c < D; c++)
            {
                v[c] = rng.NextDouble();
            }

            inputs.Add(v);
            copies[i] = new double[D];
        }

        output = new double[D];
    }

    [Benchmark(Baseline = true)]
    public void Copy()
    {
        for (var i = 0; i < K; i++)
        {
            inputs[i].Span.CopyTo(copies[i]);
        }
    }

    [Benchmark]
    public void MidExtremes() => Decentral.Agreement.MidExtremes.Instance.Aggregate(inputs, output, Span<double>.Empty);

    [Benchmark]
    public void Mean() => VectorMath.Mean(inputs, output);

    [Benchmark]
    public double DiameterCw() => VectorMath.DiameterCw(inputs);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // Short: the 27 × 4 cases finish in minutes; the large cases are far above timer resolution anyway.
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(7)
                .WithMinIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150)));
            AddColumn(StatisticColumn.Median, new ThroughputColumn());
            WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        }
    }
}
