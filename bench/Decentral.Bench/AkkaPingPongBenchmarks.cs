using System.Globalization;
using System.Threading.Channels;
using Akka.Actor;
using Decentral.Nodes.Runtime;
using AkkaConfiguration = Akka.Configuration.Config;
using ConfigurationFactory = Akka.Configuration.ConfigurationFactory;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Decentral.Bench;

/// <summary>
/// In-process message throughput of Akka.NET: N ping-pong pairs of <see cref="ReceiveActor"/>s, next to the
/// same N pairs ping-ponging over raw <see cref="Channel{T}"/>s between two tasks in the same run (the
/// baseline, so BenchmarkDotNet reports Akka / Channel as the Ratio column). Two Akka variants: the actors
/// on Akka's default dispatcher with default settings, and the same actors on a dispatcher whose
/// <c>throughput</c> (messages an actor handles before giving its thread back) is raised to
/// <see cref="HighThroughput"/>. One operation is one message of one pair (the pairs run side by side);
/// "msgs/s" counts all pairs' messages, Pairs × 1e9 / mean ns, and msgs/s(Akka) / msgs/s(channels) =
/// 1 / Ratio. Run: <c>dotnet run -c Release --project bench/Decentral.Bench -- --filter '*PingPong*'</c>.
/// </summary>
[Config(typeof(BenchConfig))]
public class AkkaPingPongBenchmarks
{
    /// <summary>Round trips per pair per operation batch (two messages each).</summary>
    public const int RoundTrips = 20_000;

    /// <summary>The <c>throughput</c> of the <see cref="HighThroughputDispatcher"/>.</summary>
    public const int HighThroughput = 1_000;

    private const string HighThroughputDispatcher = "bench-high-throughput-dispatcher";

    /// <summary>
    /// Akka's defaults, except that the logging stays quiet (warnings and errors only, so BenchmarkDotNet's
    /// output is not interleaved with Akka's start-up and shutdown messages), plus one extra dispatcher that
    /// only the high-throughput variant uses.
    /// </summary>
    private static readonly AkkaConfiguration AkkaConfig = AkkaSettings.Empty
        .Set("akka.loglevel", "WARNING")
        .Set("akka.stdout-loglevel", "WARNING")
        .Set(HighThroughputDispatcher + ".type", "Dispatcher")
        .Set(HighThroughputDispatcher + ".throughput", HighThroughput)
        .ToAkka();

    private ActorSystem? _system;
    private IActorRef[] _pingers = [];
    private CountdownEvent _done = new(1);

    [Params(1, 2, 8)]
    public int Pairs { get; set; }

    [GlobalSetup(Target = nameof(AkkaDefault))]
    public void SetupAkkaDefault() => SetupAkka(dispatcher: null);

    [GlobalSetup(Target = nameof(AkkaHighThroughput))]
    public void SetupAkkaHighThroughput() => SetupAkka(HighThroughputDispatcher);

    [GlobalCleanup(Targets = [nameof(AkkaDefault), nameof(AkkaHighThroughput)])]
    public void CleanupAkka()
    {
        _system?.Terminate().Wait(TimeSpan.FromSeconds(10));
        _system?.Dispose();
        _system = null;
        _done.Dispose();
    }

    /// <summary>The actors on Akka's default dispatcher.</summary>
    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public void AkkaDefault() => RunAkka();

    /// <summary>The actors on a dispatcher with <c>throughput = </c><see cref="HighThroughput"/>.</summary>
    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public void AkkaHighThroughput() => RunAkka();

    /// <summary>The same pairs over raw unbounded channels, one task per side (the baseline).</summary>
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

    private void SetupAkka(string? dispatcher)
    {
        _system = ActorSystem.Create("bench", AkkaConfig);
        _done = new CountdownEvent(Pairs);
        _pingers = new IActorRef[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var pongerProps = Props.Create(() => new Ponger());
            var ponger = _system.ActorOf(dispatcher is null ? pongerProps : pongerProps.WithDispatcher(dispatcher), "pong-" + i);
            var done = _done;
            var pingerProps = Props.Create(() => new Pinger(ponger, done));
            _pingers[i] = _system.ActorOf(dispatcher is null ? pingerProps : pingerProps.WithDispatcher(dispatcher), "ping-" + i);
        }
    }

    private void RunAkka()
    {
        _done.Reset(Pairs);
        var start = new Start(RoundTrips);
        foreach (var pinger in _pingers)
        {
            pinger.Tell(start, ActorRefs.NoSender);
        }

        _done.Wait();
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

    /// <summary>Sends the ball <see cref="Start.RoundTrips"/> times and signals when the last one is back.</summary>
    private sealed class Pinger : ReceiveActor
    {
        private int _remaining;

        public Pinger(IActorRef ponger, CountdownEvent done)
        {
            Receive<Ball>(_ =>
            {
                if (--_remaining == 0)
                {
                    done.Signal();
                }
                else
                {
                    ponger.Tell(Ball.Instance, Self);
                }
            });
            Receive<Start>(start =>
            {
                _remaining = start.RoundTrips;
                ponger.Tell(Ball.Instance, Self);
            });
        }
    }

    /// <summary>Returns every message to its sender.</summary>
    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => ReceiveAny(message => Sender.Tell(message, Self));
    }

    private sealed class BenchConfig : ManualConfig
    {
        public BenchConfig()
        {
            AddJob(Job.ShortRun);
            AddColumn(new MessagesPerSecondColumn());
        }
    }

    /// <summary>Messages per second over all pairs.</summary>
    private sealed class MessagesPerSecondColumn() : RateColumn("msgs/s", "Messages per second over all pairs (Pairs × 1e9 / mean ns)")
    {
        protected override string Format(double meanNanoseconds, Func<string, object?> parameter) =>
            ((parameter(nameof(Pairs)) as int? ?? 1) * 1e9 / meanNanoseconds).ToString("N0", CultureInfo.InvariantCulture);
    }
}
