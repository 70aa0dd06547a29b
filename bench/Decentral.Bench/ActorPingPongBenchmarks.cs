using System.Globalization;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Decentral.Actors;

namespace Decentral.Bench;

/// <summary>
/// In-process message throughput: N ping-pong pairs of actors on the thread-pool dispatcher, next to the
/// same N pairs ping-ponging over raw <see cref="Channel{T}"/>s in the same run (the baseline). One
/// operation is one message of one pair (the pairs run side by side); "msgs/s" counts all pairs'
/// messages, Pairs × 1e9 / mean ns, and msgs/s(actors) / msgs/s(channels) = 1 / Ratio. Run: <c>dotnet run -c Release --project bench/Decentral.Bench -- --filter '*ActorPingPong*'</c>.
/// </summary>
[Config(typeof(Config))]
public class ActorPingPongBenchmarks
{
    /// <summary>Round trips per pair per operation batch (two messages each).</summary>
    public const int RoundTrips = 20_000;

    private ActorSystem? _system;
    private IActorRef[] _pingers = [];
    private CountdownEvent _done = new(1);

    [Params(1, 2, 8)]
    public int Pairs { get; set; }

    [GlobalSetup(Target = nameof(Actors))]
    public void SetupActors()
    {
        _system = ActorSystem.Create("bench");
        _done = new CountdownEvent(Pairs);
        _pingers = new IActorRef[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var ponger = _system.ActorOf(Props.Create(() => new Ponger()), "pong-" + i);
            var done = _done;
            _pingers[i] = _system.ActorOf(Props.Create(() => new Pinger(ponger, done)), "ping-" + i);
        }
    }

    [GlobalCleanup(Target = nameof(Actors))]
    public void CleanupActors()
    {
        _system?.Terminate().Wait(TimeSpan.FromSeconds(10));
        _done.Dispose();
    }

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public void Actors()
    {
        _done.Reset(Pairs);
        var start = new Start(RoundTrips);
        foreach (var pinger in _pingers)
        {
            pinger.Tell(start, null);
        }

        _done.Wait();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 2 * RoundTrips)]
    public void Channels()
    {
        var tasks = new Task[2 * Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var options = new UnboundedChannelOptions { SingleReader = true, SingleWriter = true };
            var ping = Channel.CreateUnbounded<int>(options);
            var pong = Channel.CreateUnbounded<int>(options);
            tasks[2 * i] = Task.Run(() => PingLoop(ping.Writer, pong.Reader));
            tasks[(2 * i) + 1] = Task.Run(() => PongLoop(ping.Reader, pong.Writer));
        }

        Task.WaitAll(tasks);
    }

    private static async Task PingLoop(ChannelWriter<int> ping, ChannelReader<int> pong)
    {
        for (var i = 0; i < RoundTrips; i++)
        {
            await ping.WriteAsync(i).ConfigureAwait(false);
            await pong.ReadAsync().ConfigureAwait(false);
        }
    }

    private static async Task PongLoop(ChannelReader<int> ping, ChannelWriter<int> pong)
    {
        for (var i = 0; i < RoundTrips; i++)
        {
            var value = await ping.ReadAsync().ConfigureAwait(false);
            await pong.WriteAsync(value).ConfigureAwait(false);
        }
    }

    private sealed record Start(int RoundTrips);

    private sealed class Ball
    {
        public static readonly Ball Instance = new();
    }

    private sealed class Pinger(IActorRef ponger, CountdownEvent done) : ActorBase
    {
        private int _remaining;

        protected override bool Receive(object message)
        {
            if (message is Ball)
            {
                if (--_remaining == 0)
                {
                    done.Signal();
                }
                else
                {
                    ponger.Tell(Ball.Instance, Self);
                }

                return true;
            }

            if (message is Start start)
            {
                _remaining = start.RoundTrips;
                ponger.Tell(Ball.Instance, Self);
                return true;
            }

            return false;
        }
    }

    private sealed class Ponger : ActorBase
    {
        protected override bool Receive(object message)
        {
            Sender.Tell(message, Self);
            return true;
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun);
            AddColumn(new MessagesPerSecondColumn());
        }
    }

    /// <summary>Messages per second over all pairs.</summary>
    private sealed class MessagesPerSecondColumn : IColumn
    {
        public string Id => nameof(MessagesPerSecondColumn);

        public string ColumnName => "msgs/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Messages per second over all pairs (Pairs × 1e9 / mean ns)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            var pairs = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(Pairs))?.Value as int? ?? 1;
            return stats is null ? "-" : (pairs * 1e9 / stats.Mean).ToString("N0", CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
