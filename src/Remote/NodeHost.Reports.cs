using System.Diagnostics;
using Akka.Remote;
using Decentral.Agreement;
using Decentral.Nodes.Network;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>What the admin endpoint reads and does: status, summary and fault commands.</summary>
internal sealed partial class NodeHost
{
    public ClusterStatusReport Status()
    {
        var local = _runtime.Nodes.Where(n => _runtime.IsLocal(n.Index)).Select(n => n.Snapshot).ToList();
        var models = local.Where(s => !s.Crashed && s.Model.Length > 0).Select(s => s.Model).ToList();
        var nodes = local.Select(s =>
        {
            var start = _tracker.StartOf(s.Index);
            return new NodeStatusReport(
                s.Name, s.Stage.Iteration, s.Stage.Round, s.Finished, s.Crashed, s.Incarnation, s.IterationsCompleted, s.SkippedIterations,
                s.MessagesSent, s.MessagesReceived, start?.FromCheckpoint ?? false, start?.Iteration ?? 0, start?.FirstCompleted);
        }).ToList();
        var network = _runtime.Network;
        return new ClusterStatusReport(
            Name,
            Environment.ProcessId,
            AddressUidExtension.Uid(_system).ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
            Self.ToString(),
            _uptime.Elapsed.TotalSeconds,
            _runtime.Frontier,
            _runtime.Spec.Protocol.Iterations,
            _runtime.IsDone,
            _options.UntilShutdown,
            _options.ParentPid,
            _shutdown.Task.IsCompleted,
            models.Count > 1 ? VectorMath.DiameterL2(models) : models.Count == 1 ? 0 : null,
            models.Count > 1 ? VectorMath.DiameterCw(models) : models.Count == 1 ? 0 : null,
            nodes,
            Peers(),
            Transport(),
            new FaultLayerCounters(network.SentCount, network.BlackholedCount, network.DroppedCount, network.DelayedCount),
            _serializer.Codec.TotalRejections,
            _options.Overrides,
            _membership.Report());
    }

    public ClusterSummaryReport Summary()
    {
        var completed = _runtime.IsDone;
        var summary = _runtime.Summarize(completed) with { Mode = "node" };
        var nodes = _runtime.Nodes.Where(n => _runtime.IsLocal(n.Index)).Select(n => n.Snapshot).Select(s => new NodeFinalReport(
            s.Name, s.Stage.Iteration, s.Finished, s.Crashed,
            s.Crashed || s.Model.Length == 0 || s.Model.Length > AdminJson.MaxReportedDimension ? null : s.Model.ToArray())).ToList();
        return new ClusterSummaryReport(Name, Environment.ProcessId, completed, summary, nodes, Transport(), _membership.Report());
    }

    /// <summary>
    /// Applies one fault to this process's links or nodes; returns what was done, throws ArgumentException on
    /// bad input. Blackholes, partitions and drops act in Akka.Remote's transport adapters
    /// (<see cref="TransportFaults"/>), delays in the runtime's fault layer on the outgoing links.
    /// </summary>
    public string ApplyFault(string kind, FaultRequest request)
    {
        var network = _runtime.Network;
        switch (kind.ToLowerInvariant())
        {
            case "blackhole":
                return ForPeers(request, peer => _faults.Blackhole(_remote.IndexOf(peer)), "blackholed");
            case "passthrough":
            case "pass-through":
                return ForPeers(request, peer =>
                {
                    _faults.PassThrough(_remote.IndexOf(peer));
                    network.PassThrough(Name, peer, LinkDirection.Send);
                }, "pass-through to");
            case "partition":
                if (request.Groups.Count == 0)
                {
                    throw new ArgumentException("A partition needs groups, e.g. ?groups=c1&groups=c2,c3.", nameof(request));
                }

                var cut = _faults.Partition(request.Groups);
                return "partitioned " + string.Join(" | ", request.Groups.Select(g => string.Join(",", g)))
                    + (cut.Count == 0 ? "" : "; cut off " + string.Join(", ", cut));
            case "heal":
                _faults.Heal();
                _runtime.Heal();
                return "healed every link";
            case "delay":
                var delay = TimeSpan.FromMilliseconds(request.Milliseconds ?? throw new ArgumentException("A delay needs ms=…", nameof(request)));
                ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, "ms");
                return ForPeers(request, peer => network.SetDelay(Name, peer, delay == TimeSpan.Zero ? null : DelayDistribution.Constant(delay), LinkDirection.Send), $"delay {delay.TotalMilliseconds} ms to");
            case "drop":
                var p = request.Probability ?? throw new ArgumentException("A drop needs p=…", nameof(request));
                if (p is < 0 or > 1)
                {
                    throw new ArgumentException($"p={p} is not a probability from 0 to 1.", nameof(request));
                }

                return ForPeers(request, peer => _faults.Drop(_remote.IndexOf(peer), p), $"drop p={p} to");
            case "crash":
                if (request.Target is null || request.Target == Name)
                {
                    // A real crash: no cleanup, no flush, no goodbye (SQLite's WAL keeps checkpoints valid).
                    _log.LogWarning("Crashing the process of {Cluster} on request", Name);
                    Process.GetCurrentProcess().Kill();
                    return "crashed";
                }

                _runtime.Crash(request.Target);
                return $"crashed {request.Target}";
            case "restart":
                if (request.Target is null || request.Target == Name)
                {
                    throw new ArgumentException("A crashed process cannot restart itself: use `decentral fault restart CLUSTER`, which starts it again.", nameof(request));
                }

                _runtime.Restart(request.Target);
                return $"restarted {request.Target}";
            default:
                throw new ArgumentException(
                    $"Unknown fault '{kind}'; expected blackhole, passthrough, partition, heal, delay, drop, crash or restart.", nameof(kind));
        }
    }

    /// <summary>Applies a link fault to this process's links to the named peer clusters (all others when none is named).</summary>
    private string ForPeers(FaultRequest request, Action<string> apply, string verb)
    {
        var peers = request.To.Count == 0
            ? _remote.Clusters.Where(c => c != Name).ToList()
            : request.To.Select(name => _remote.IndexOf(name) < 0
                ? throw new ArgumentException($"Unknown cluster '{name}'; clusters are {string.Join(", ", _remote.Clusters)}.", nameof(request))
                : name).Where(c => c != Name).Distinct(StringComparer.Ordinal).ToList();
        foreach (var peer in peers)
        {
            apply(peer);
        }

        return $"{verb} {string.Join(", ", peers)}";
    }

    private List<PeerStatusReport> Peers()
    {
        var result = new List<PeerStatusReport>();
        for (var c = 0; c < _remote.Clusters.Count; c++)
        {
            if (c == _cluster)
            {
                continue;
            }

            var address = _remote.Addresses[c];
            var peer = _associations.Of(address);
            result.Add(new PeerStatusReport(
                _remote.Clusters[c],
                address.ToString(),
                peer.State,
                Describe(_faults.Describe(c), _runtime.Network.GetLink(Name, _remote.Clusters[c])),
                peer.LastError,
                peer.DialedBy,
                peer.Errors,
                RemoteRuntimes.OutboxesOf(_runtime)?.CountersOf(_system, address)));
        }

        return result;
    }

    private RemoteTransportCounters Transport() =>
        RemoteTransportCounters.From(_serializer.Counters, _associations.Errors, _tls is not null, _tls?.ConnectionsRefused ?? 0, _tls?.CertificatesRejected ?? 0);

    /// <summary>The adapters' faults on a link, then the fault layer's (delays; drops and blackholes of a scheduled fault).</summary>
    private static string Describe(IReadOnlyList<string> adapterFaults, LinkFaults faults)
    {
        if (faults.IsHealthy)
        {
            return adapterFaults.Count == 0 ? "none" : string.Join(", ", adapterFaults);
        }

        var parts = new List<string>(adapterFaults);
        if (faults.Blackholed)
        {
            parts.Add("blackholed");
        }

        if (faults.Delay is { } delay)
        {
            parts.Add("delay " + delay);
        }

        if (faults.DropProbability > 0)
        {
            parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"drop {faults.DropProbability}"));
        }

        return parts.Count == 0 ? "other" : string.Join(", ", parts.Distinct(StringComparer.Ordinal));
    }
}
