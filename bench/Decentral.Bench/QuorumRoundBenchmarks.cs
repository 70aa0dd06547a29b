using Decentral.Nodes.Objectives;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Bench;

/// <summary>
/// The decentralized protocol's message rate in one process on Akka.NET: a real-time run of m × s node
/// actors (one actor system per cluster) doing <see cref="Iterations"/> iterations with no compute time,
/// so the time is the quorum rounds themselves: broadcast, wait for a quorum, in-cluster agreement,
/// <see cref="Rounds"/> MDAA rounds. One operation is one whole run, start-up of the systems included. The
/// protocol sends T·(1+R)·n·(n−1) messages in such a run (resends are off); "msgs/s" divides that by the
/// mean time, next to the Channel ping-pong baseline of <see cref="AkkaPingPongBenchmarks"/>.
/// Run: <c>dotnet run -c Release --project bench/Decentral.Bench -- --filter '*QuorumRound*'</c>.
/// </summary>
[Config(typeof(Config))]
public class QuorumRoundBenchmarks
{
    public const int Iterations = 50;
    public const int Rounds = 3;

    private static readonly Lazy<Dataset> Data = new(() => SyntheticData.Logistic(300, 30, 1).Data);

    [Params(3, 5)]
    public int Clusters { get; set; }

    [Params(3)]
    public int ClusterSize { get; set; }

    public static long MessagesPerRun(int clusters, int size)
    {
        long n = clusters * size;
        return Iterations * (1L + Rounds) * n * (n - 1);
    }

    [Benchmark]
    public void QuorumRounds()
    {
        var spec = new ClusterRunSpec
        {
            Training = new TrainingSpec
            {
                Data = Data.Value,
                Model = LinearModels.LogisticL2(0.01),
                BatchSize = 16,
                StepSize = new ConstantStepSize(0.1),
                Seed = 1,
            },
            Protocol = new ProtocolOptions
            {
                Layout = ClusterLayout.Uniform(Clusters, ClusterSize),
                Quorum = QuorumRule.Processes,
                Iterations = Iterations,
                Rounds = Rounds,
                FinalRounds = 0,
                CheckpointEvery = 0,
            },
            NetworkLatency = TimeSpan.Zero,
            ResendInterval = TimeSpan.FromSeconds(30),
            MetricsEvery = 0,
        };
        using var runtime = new ClusterRuntime(spec, new RealTimeHost());
        if (!runtime.RunAsync(TimeSpan.FromMinutes(1)).GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The run did not finish within a minute.");
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun);
            AddColumn(new MessagesColumn());
        }
    }

    private sealed class MessagesColumn() : RateColumn("msgs/s", "Protocol messages T·(1+R)·n·(n−1) per second at the mean time of a run")
    {
        protected override string Format(double meanNanoseconds, Func<string, object?> parameter)
        {
            if (parameter(nameof(Clusters)) is not int m || parameter(nameof(ClusterSize)) is not int s)
            {
                return "-";
            }

            var perSecond = MessagesPerRun(m, s) / (meanNanoseconds / 1e9);
            return (perSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M";
        }
    }
}
