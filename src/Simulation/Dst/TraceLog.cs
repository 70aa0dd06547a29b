using System.Globalization;
using System.Text;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst;

/// <summary>
/// The event trace of one run: simulation events (deliveries, timers, callbacks) interleaved with what
/// the protocol reported, faults applied and checkpoints written. Always keeps the last
/// <see cref="TailLength"/> entries (formatted only when asked for) and a hash of the protocol-level
/// lines; with <c>full</c> it also writes every line to a buffer (<c>--trace</c>). Formatting uses the
/// invariant culture and content hashes instead of object identities, so a seed's trace is byte-identical
/// from run to run.
/// </summary>
public sealed class TraceLog
{
    public const int TailLength = 20;

    private const string UserGuardian = "user";

    private readonly object?[] tail = new object?[TailLength];
    private readonly StringBuilder? full;
    private readonly Func<int, string> nodeName;
    private readonly List<object> pending = [];
    private readonly Dictionary<ActorPath, string> paths = [];
    private long count;
    private ulong hash = Fnv.Offset;

    public TraceLog(bool full, Func<int, string> nodeName)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        this.full = full ? new StringBuilder() : null;
        this.nodeName = nodeName;
    }

    /// <summary>Hash over every protocol, fault and checkpoint line (the simulator hashes its events itself).</summary>
    public ulong Hash => hash;

    /// <summary>The whole trace (empty unless created with <c>full</c>).</summary>
    public string Text => full?.ToString() ?? string.Empty;

    /// <summary>A simulation event finished: it is written before the protocol lines it caused.</summary>
    public void Simulation(SimulationEvent e)
    {
        Add(e);
        foreach (var p in pending)
        {
            Add(p);
        }
        pending.Clear();
    }

    /// <summary>Writes lines still waiting for their simulation event (at the end of a run).</summary>
    public void Flush()
    {
        foreach (var p in pending)
        {
            Add(p);
        }
        pending.Clear();
    }

    public void Protocol(ProtocolEvent e) => Line(e);

    public void Note(string text) => Line(text);

    public void Sent(int node, ProtocolMessage message, int copies)
    {
        if (full is not null)
        {
            Line(new SentLine(node, message, copies));
        }
    }

    /// <summary>The last entries, oldest first, including lines of the event still running.</summary>
    public IReadOnlyList<string> Tail()
    {
        var lines = new List<string>(TailLength + pending.Count);
        var n = (int)Math.Min(count, TailLength);
        for (var i = 0; i < n; i++)
        {
            lines.Add(Format(tail[(count - n + i) % TailLength]!));
        }
        lines.AddRange(pending.Select(Format));
        return lines;
    }

    private void Line(object entry)
    {
        // Sent lines exist only in full traces; the hash must not depend on whether the trace is printed.
        if (entry is not (SimulationEvent or SentLine))
        {
            hash = Fnv.Add(Fnv.Add(hash, Format(entry)), "\n");
        }
        pending.Add(entry);
    }

    private void Add(object entry)
    {
        tail[count % TailLength] = entry;
        count++;
        full?.Append(Format(entry)).Append('\n');
    }

    private string Format(object entry) => entry switch
    {
        SimulationEvent e => FormatEvent(e),
        ProtocolEvent p => "    " + FormatProtocol(p),
        SentLine s => string.Create(CultureInfo.InvariantCulture, $"    {nodeName(s.Node)} sent {Describe(s.Message)} ×{s.Copies}"),
        string text => "    " + text,
        _ => "    " + entry,
    };

    private string FormatEvent(SimulationEvent e)
    {
        var inv = CultureInfo.InvariantCulture;
        var head = string.Create(inv, $"#{e.Index} {e.Time.Ticks / 10.0:0.#}µs {e.Kind.ToString().ToLowerInvariant()}");
        if (e.Recipient is not { } recipient)
        {
            // A timer: what it sends (an actor timer's message, or nothing for a network or fault callback).
            return e.Message is null ? head : $"{head}: {Describe(e.Message)}";
        }
        var from = e.Sender is { } sender ? " <- " + PathText(sender) : string.Empty;
        return e.Message is null ? $"{head} {PathText(recipient)}{from}" : $"{head} {PathText(recipient)}{from}: {Describe(e.Message)}";
    }

    /// <summary>
    /// An actor path as the trace shows it, the same in every process: "c2/user/n1-2". Akka numbers some
    /// of its own actors with process-wide counters, so outside /user a name's trailing digits become '#'
    /// (as <see cref="StablePath"/> blanks them for the simulator's hash).
    /// </summary>
    private string PathText(ActorPath path)
    {
        if (paths.TryGetValue(path, out var text))
        {
            return text;
        }
        var builder = new StringBuilder(path.Address.System);
        var user = path.Elements is [UserGuardian, ..];
        foreach (var element in path.Elements)
        {
            builder.Append('/');
            var end = element.Length;
            while (!user && end > 0 && char.IsAsciiDigit(element[end - 1]))
            {
                end--;
            }
            builder.Append(element, 0, end);
            if (end < element.Length)
            {
                builder.Append('#');
            }
        }
        text = builder.ToString();
        paths.Add(path, text);
        return text;
    }

    private string FormatProtocol(ProtocolEvent p)
    {
        var inv = CultureInfo.InvariantCulture;
        var who = nodeName(p.Node);
        return p switch
        {
            NodeStarted s => $"{who} started at {s.Stage}, incarnation {s.Incarnation}{(s.FromCheckpoint ? ", from checkpoint" : string.Empty)}",
            StageCompleted c => string.Create(inv,
                $"{who} completed {c.Stage}{(c.Skipped ? $" skipping from {c.From}" : string.Empty)} with [{string.Join(",", c.Senders)}] "
                + $"w [{(c.Weights is null ? "-" : string.Join(",", c.Weights.Select(w => w.ToString("R", inv))))}] value {VectorHash(c.Value)}"),
            IterationCompleted i => $"{who} iteration {i.Iteration} done{(i.Skipped ? " (skipped)" : string.Empty)} model {VectorHash(i.Model)}",
            MessageRejected r => $"{who} rejected {r.Stage} from {r.Sender}: {r.Reason}",
            NodeFinished f => $"{who} finished, model {VectorHash(f.Model)}",
            InvariantViolated v => $"{who} violated {v.Invariant}: {v.Detail}",
            ModelDiverged d => string.Create(inv, $"{who} diverged in iteration {d.Iteration} (η = {d.StepSize:R})"),
            _ => p.ToString(),
        };
    }

    /// <summary>Messages by their stage, sender and a hash of their vector; other messages (Akka's own) by their type only.</summary>
    private static string Describe(object message) => message switch
    {
        ModelMessage m => $"model {m.Stage} from {m.Sender} {VectorHash(m.Vector)}",
        RoundMessage r => $"round {r.Stage} from {r.Sender} {VectorHash(r.Vector)}",
        ComputeDone c => string.Create(CultureInfo.InvariantCulture, $"compute-done t{c.Iteration}"),
        ClusterStep s => $"cluster-step {s.Stage}",
        ResendTick => "resend-tick",
        FaultStep f => "fault step: " + f.What,
        _ => message.GetType().Name,
    };

    internal static string VectorHash(ReadOnlySpan<double> v)
    {
        var h = Fnv.Offset;
        foreach (var x in v)
        {
            h = Fnv.Add(h, (ulong)BitConverter.DoubleToInt64Bits(x));
        }
        return "#" + h.ToString("x16", CultureInfo.InvariantCulture);
    }

    private sealed record SentLine(int Node, ProtocolMessage Message, int Copies);
}
