using System.Collections.Concurrent;
using Akka.Actor;
using Decentral.Agreement;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>
/// A process's configuration fingerprint, sent by its identity actor to every peer's when they associate
/// (<see cref="Reply"/>: the answer to one). The only Decentral message besides acknowledgements a peer
/// may send through Hyperion (<see cref="RemoteSerialization.HyperionAccepted"/>).
/// </summary>
public sealed record PeerHello(string Cluster, string[] Keys, string[] Values, bool Reply);

/// <summary>What <see cref="PeerIdentity.Check"/> says about one incoming protocol message.</summary>
public enum PeerVerdict
{
    /// <summary>From a verified peer, its sender one of that peer's nodes.</summary>
    Accepted,

    /// <summary>No sender ref: nothing says where it came from.</summary>
    NoSender,

    /// <summary>From an address that is no configured cluster's.</summary>
    UnknownAddress,

    /// <summary>
    /// Its sender index is a node of another cluster than the one at the address it came from, and that
    /// address's process is not verified: it cannot be a relay (see <see cref="PeerIdentity"/>).
    /// </summary>
    SenderNotOfCluster,

    /// <summary>From a configured cluster whose fingerprint has not arrived yet (just associated or restarted).</summary>
    Unverified,

    /// <summary>From a configured cluster whose fingerprint differs from this process's.</summary>
    Refused,
}

/// <summary>
/// Who this process accepts protocol messages from, for every path that delivers them (Akka.Remote's
/// inboxes, a bulk path beside it): a message counts only when it comes from a configured cluster's
/// address (host:port of the sender ref) whose process has shown a configuration fingerprint equal to
/// this one (<see cref="DeploymentFingerprint"/>, exchanged by <see cref="PeerHello"/> when they associate
/// and again after every disassociation: a restarted peer may run another configuration). Its sender index
/// is checked against the cluster at that address: a node of that cluster is the peer's own message; a
/// node of another cluster is a relay, which the protocol sends on purpose (a node helping a laggard hands
/// it the quorum of messages its latest stage used, their senders unchanged) and which is accepted from a
/// verified peer only, and counted (<see cref="Relayed"/>); from any other address it is dropped as
/// <see cref="PeerVerdict.SenderNotOfCluster"/>. Anything dropped is counted per <see cref="PeerVerdict"/>;
/// each refused peer, unknown address or foreign sender is logged once, a refusal with the entries of
/// both fingerprints that differ.
/// <para>
/// What this is not: authentication. TLS with the pinned certificate is what keeps strangers out; these
/// checks keep a process that holds the certificate but runs another configuration, or answers for
/// another cluster, from feeding the protocol. A sender address is what the peer's Akka.Remote says.
/// </para>
/// </summary>
public sealed class PeerIdentity
{
    private readonly RemoteOptions _remote;
    private readonly int _self;
    private readonly ClusterLayout _layout;
    private readonly ILogger _log;
    private readonly State[] _states;
    private readonly long[] _counts = new long[Enum.GetValues<PeerVerdict>().Length];
    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.Ordinal);
    private long _relayed;

    public PeerIdentity(RemoteOptions remote, int self, ClusterLayout layout, DeploymentFingerprint fingerprint, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfNegative(self);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(self, remote.Clusters.Count);
        if (layout.ClusterCount != remote.Clusters.Count)
        {
            throw new ArgumentException($"{remote.Clusters.Count} configured clusters for a layout of {layout.ClusterCount}.", nameof(layout));
        }

        _remote = remote;
        _self = self;
        _layout = layout;
        _log = log;
        Fingerprint = fingerprint;
        _states = [.. Enumerable.Range(0, remote.Clusters.Count).Select(c => c == self ? State.Verified : State.Unknown)];
    }

    public DeploymentFingerprint Fingerprint { get; }

    /// <summary>This process's cluster (index into the configured clusters).</summary>
    public int Self => _self;

    /// <summary>
    /// Messages refused so far, per verdict: everything dropped except <see cref="PeerVerdict.Unverified"/>,
    /// which every association sees for a moment (models that overtake the peer's hello) and is counted
    /// apart (<see cref="Unverified"/>).
    /// </summary>
    public IReadOnlyDictionary<string, long> Rejections =>
        Enum.GetValues<PeerVerdict>().Where(v => IsRefusal(v) && Interlocked.Read(ref _counts[(int)v]) > 0)
            .ToDictionary(v => "Peer" + v, v => Interlocked.Read(ref _counts[(int)v]), StringComparer.Ordinal);

    /// <summary>Messages accepted from a verified peer with another cluster's sender index (relays to a laggard).</summary>
    public long Relayed => Interlocked.Read(ref _relayed);

    /// <summary>Messages dropped because their peer's hello had not arrived yet (the protocol resends them).</summary>
    public long Unverified => Interlocked.Read(ref _counts[(int)PeerVerdict.Unverified]);

    /// <summary>How many messages were refused in all (<see cref="Rejections"/>).</summary>
    public long Rejected => Enum.GetValues<PeerVerdict>().Where(IsRefusal).Sum(v => Interlocked.Read(ref _counts[(int)v]));

    /// <summary>
    /// Whether a protocol message of node <paramref name="sender"/> (global index) that came from the actor
    /// system at <paramref name="from"/> (null: no sender ref) may reach a node; counts it when not.
    /// </summary>
    public PeerVerdict Check(Address? from, int sender)
    {
        var verdict = Judge(from, sender, out var cluster);
        if (verdict != PeerVerdict.Accepted)
        {
            Interlocked.Increment(ref _counts[(int)verdict]);
            if (verdict is PeerVerdict.UnknownAddress or PeerVerdict.SenderNotOfCluster or PeerVerdict.NoSender)
            {
                var where = from is null ? "no sender" : $"{from.Host}:{from.Port}";
                LogOnce(
                    $"{verdict} {where}",
                    "Dropping protocol messages from {From}: {Why}; further ones are counted in `status` (transport.rejections), not logged",
                    where,
                    verdict switch
                    {
                        PeerVerdict.UnknownAddress => "no configured cluster listens there",
                        PeerVerdict.SenderNotOfCluster => $"sender {sender} is not a node of {_remote.Clusters[cluster]}, the cluster at that address",
                        _ => "a message without a sender ref cannot be traced to a cluster",
                    });
            }
        }

        return verdict;
    }

    /// <summary>The hello this process sends (<paramref name="reply"/>: in answer to a peer's).</summary>
    public PeerHello Hello(bool reply) =>
        new(_remote.Clusters[_self], [.. Fingerprint.Entries.Select(e => e.Key)], [.. Fingerprint.Entries.Select(e => e.Value)], reply);

    /// <summary>A peer's hello from <paramref name="from"/>: verifies or refuses the cluster at that address.</summary>
    public void OnHello(Address? from, PeerHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        var cluster = from is null ? -1 : _remote.IndexOf(from);
        DeploymentFingerprint theirs;
        try
        {
            theirs = DeploymentFingerprint.From(hello.Keys ?? [], hello.Values ?? []);
        }
        catch (ArgumentException e)
        {
            theirs = DeploymentFingerprint.From(["malformed"], [e.Message]);
        }

        var differences = Fingerprint.Differences(theirs);
        var where = from is null ? "no sender" : $"{from.Host}:{from.Port}";
        if (cluster < 0 || cluster == _self)
        {
            LogOnce(
                $"hello {where} {theirs.Hash}",
                "Refusing the process at {From} that says it runs {Claimed}: no configured cluster listens at that address{Differences}",
                where, Clip(hello.Cluster), differences.Count == 0 ? "" : "; its configuration differs too: " + string.Join("; ", differences));
            return;
        }

        var name = _remote.Clusters[cluster];
        if (!string.Equals(hello.Cluster, name, StringComparison.Ordinal))
        {
            differences = [$"cluster: {name} at {where} here, {Clip(hello.Cluster)} there", .. differences];
        }

        bool newlyVerified;
        lock (_states)
        {
            newlyVerified = differences.Count == 0 && !_states[cluster].IsVerified;
            _states[cluster] = differences.Count == 0 ? State.Verified : State.Refused(string.Join("; ", differences));
        }

        if (newlyVerified)
        {
            _log.LogInformation("{Cluster} at {From} runs this configuration (fingerprint {Hash}): its models are accepted", name, where, Fingerprint.Hash);
        }
        else if (differences.Count > 0)
        {
            LogOnce(
                $"refused {cluster} {theirs.Hash} {hello.Cluster}",
                "Refusing {Cluster} at {From}: its configuration differs from this process's (fingerprint {Theirs} there, {Mine} here): {Differences}. Nothing it sends reaches a node; messages are counted in `status` (transport.rejections.PeerRefused)",
                name, where, theirs.Hash, Fingerprint.Hash, string.Join("; ", differences));
        }
    }

    /// <summary>The association with <paramref name="peer"/> ended: its next incarnation must show its fingerprint again.</summary>
    public void Reset(Address peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var cluster = _remote.IndexOf(peer);
        if (cluster >= 0 && cluster != _self)
        {
            lock (_states)
            {
                _states[cluster] = State.Unknown;
            }
        }
    }

    /// <summary>Whether cluster <paramref name="cluster"/> has yet to show a matching fingerprint.</summary>
    public bool NeedsHello(int cluster)
    {
        lock (_states)
        {
            return !_states[cluster].IsVerified;
        }
    }

    /// <summary>"verified", "unverified" or "refused: …" (the differing entries) for cluster <paramref name="cluster"/>.</summary>
    public string StateOf(int cluster)
    {
        lock (_states)
        {
            return _states[cluster].Describe();
        }
    }

    private static bool IsRefusal(PeerVerdict v) => v is not (PeerVerdict.Accepted or PeerVerdict.Unverified);

    private PeerVerdict Judge(Address? from, int sender, out int cluster)
    {
        cluster = -1;
        if (from is null || from.Host is null || from.Port is null)
        {
            return PeerVerdict.NoSender;
        }

        cluster = _remote.IndexOf(from);
        if (cluster < 0)
        {
            return PeerVerdict.UnknownAddress;
        }

        if (sender < 0 || sender >= _layout.N)
        {
            return PeerVerdict.SenderNotOfCluster;
        }

        var own = _layout.ProcessAt(sender).Cluster == cluster;
        State state;
        lock (_states)
        {
            state = _states[cluster];
        }

        if (state.IsVerified)
        {
            if (!own)
            {
                Interlocked.Increment(ref _relayed);
            }

            return PeerVerdict.Accepted;
        }

        return !own ? PeerVerdict.SenderNotOfCluster : state.Why is null ? PeerVerdict.Unverified : PeerVerdict.Refused;
    }

    private void LogOnce(string key, string template, params object?[] args)
    {
        if (_logged.Count < 1024 && _logged.TryAdd(key, 0))
        {
#pragma warning disable CA2254 // The templates are this class's constants.
            _log.LogWarning(template, args);
#pragma warning restore CA2254
        }
    }

    private static string Clip(string? text) => text is null ? "(none)" : text.Length <= 64 ? text : text[..64] + "…";

    private sealed record State(bool IsVerified, string? Why)
    {
        public static readonly State Unknown = new(false, null);

        public static readonly State Verified = new(true, null);

        public static State Refused(string why) => new(false, why);

        public string Describe() => IsVerified ? "verified" : Why is null ? "unverified" : "refused: " + Why;
    }
}

/// <summary>
/// A process's identity actor (<c>/user/identity</c>): sends its <see cref="PeerHello"/> to every configured
/// peer whose fingerprint it has not verified yet (at start, then every second), answers every hello with
/// its own, and forgets a peer's verdict when its association ends (<see cref="PeerIdentity.Reset"/>).
/// </summary>
internal sealed class PeerIdentityActor : ReceiveActor, IWithTimers
{
    public const string Name = "identity";

    private readonly PeerIdentity _identity;
    private readonly IReadOnlyList<Address> _peers;

    public PeerIdentityActor(PeerIdentity identity, IReadOnlyList<Address> peers)
    {
        _identity = identity;
        _peers = peers;
        Receive<PeerHello>(h =>
        {
            _identity.OnHello(Sender.IsNobody() ? null : Sender.Path.Address, h);
            if (!h.Reply && !Sender.IsNobody())
            {
                Sender.Tell(_identity.Hello(reply: true), Self);
            }
        });
        Receive<Akka.Remote.DisassociatedEvent>(d =>
        {
            _identity.Reset(d.RemoteAddress);
            SayHello(force: false);
        });
        Receive<IdentityTick>(_ => SayHello(force: false));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PeerIdentity identity, IReadOnlyList<Address> peers) =>
        Akka.Actor.Props.Create(() => new PeerIdentityActor(identity, peers));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(Akka.Remote.DisassociatedEvent));
        Timers.StartPeriodicTimer("hello", IdentityTick.Instance, TimeSpan.FromSeconds(1));
        SayHello(force: true);
    }

    private void SayHello(bool force)
    {
        var scheme = RemoteRuntimes.AddressOf(Context.System).Protocol;
        var provider = ((ExtendedActorSystem)Context.System).Provider;
        for (var c = 0; c < _peers.Count; c++)
        {
            if (c != _identity.Self && (force || _identity.NeedsHello(c)))
            {
                var a = _peers[c];
                var target = provider.ResolveActorRef(new RootActorPath(new Address(scheme, a.System, a.Host, a.Port)) / "user" / Name);
                target.Tell(_identity.Hello(reply: false), Self);
            }
        }
    }
}

/// <summary>The identity actor's timer: greet the peers not verified yet.</summary>
internal sealed record IdentityTick
{
    public static readonly IdentityTick Instance = new();
}
