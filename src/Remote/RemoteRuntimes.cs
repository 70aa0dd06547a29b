using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Nodes.Network;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Microsoft.Extensions.Logging;

namespace Decentral.Remote;

/// <summary>
/// Cluster runtimes whose clusters talk over Akka.Remote (DotNetty TCP): one cluster per OS process
/// (<see cref="ForNode"/>, what `decentral node` runs) or every cluster its own actor system in this
/// process on a 127.0.0.1 port (<see cref="LoopbackCluster"/>, for tests and benchmarks). Protocol
/// messages travel in <see cref="ProtocolSerializer"/>'s binary format; faults stay in the runtime's
/// <see cref="FaultyNetwork"/> above Akka (each process's outgoing links).
/// <para>
/// A node is reached at <c>akka.tcp://CLUSTER@HOST:PORT/user/inbox-nK</c> (scheme: <see cref="Scheme"/>): a forwarder that lives as
/// long as the actor system and hands each message to the node's current incarnation. The node actor
/// itself is renamed when it restarts inside its process (n1, n1-2, …), which a ref resolved once by
/// another process could not follow.
/// </para>
/// </summary>
public static class RemoteRuntimes
{
    /// <summary>
    /// The transport adapters of every system of a multi-process deployment (<c>akka-fault-adapters.conf</c>):
    /// Akka's throttler (blackholes, partitions) and failure injector (random drops), driven by the fault
    /// commands (<see cref="TransportFaults"/>).
    /// </summary>
    public const string FaultAdapters = "[trttl, gremlin]";

    /// <summary>
    /// The address scheme of Akka.Remote's DotNetty TCP transport: <c>akka.tcp</c>, with TLS
    /// <c>akka.ssl.tcp</c>, with the fault adapters <c>akka.trttl.gremlin.tcp</c> or
    /// <c>akka.trttl.gremlin.ssl.tcp</c> (what Akka 1.5.75 produces). Every system of a deployment must use the same.
    /// </summary>
    public static string Scheme(bool tls, bool faultAdapters) => "akka." + (faultAdapters ? "trttl.gremlin." : "") + (tls ? "ssl." : "") + "tcp";

    /// <summary>
    /// The name of every actor system of a multi-process deployment (<see cref="ForNode"/>): Akka.Cluster
    /// joins only systems of one name, so a cluster is told apart by its address (host:port) and its
    /// member role (the cluster's name), not by its system's name.
    /// </summary>
    public const string SystemName = "decentral";

    /// <summary>The cluster join of each runtime <see cref="ForNode"/> built, until <see cref="JoinCluster"/> runs it.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ClusterRuntime, Action> PendingJoins = new();

    /// <summary>
    /// Starts joining the Akka cluster from a runtime <see cref="ForNode"/> built (once; later calls do
    /// nothing). Separate from <see cref="ForNode"/> so that whoever watches the system's remoting and
    /// cluster events subscribes first: joining opens the associations.
    /// </summary>
    public static void JoinCluster(ClusterRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (PendingJoins.TryGetValue(runtime, out var join) && PendingJoins.Remove(runtime))
        {
            join();
        }
    }

    /// <summary>The outboxes of each runtime this class built (the flow control of its remote sends).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ClusterRuntime, PeerOutboxes> Outboxes = new();

    /// <summary>The outboxes through which <paramref name="runtime"/> sends to other processes (null: not built here).</summary>
    public static PeerOutboxes? OutboxesOf(ClusterRuntime runtime) => Outboxes.TryGetValue(runtime, out var o) ? o : null;

    /// <summary>Akka's smallest maximum frame (its reference.conf default).</summary>
    private const int MinFrameBytes = 128_000;

    /// <summary>Room for Akka's envelope around a model: recipient and sender paths, serializer id, manifest.</summary>
    private const int EnvelopeBytes = 4096;

    private const int MinSocketBuffer = 256_000;

    private const int MaxSocketBuffer = 32 * 1024 * 1024;

    /// <summary>
    /// One runtime of <paramref name="spec"/> in this process whose clusters are separate actor systems,
    /// each on its own 127.0.0.1 port (chosen by the OS), exchanging every inter-cluster message over
    /// Akka.Remote with <see cref="ProtocolSerializer"/> in <paramref name="encoding"/>. Faults act in the
    /// runtime's <see cref="ClusterRuntime.Network"/> as in the in-process runtime. Not started.
    /// </summary>
    public static ClusterRuntime LoopbackCluster(
        ClusterRunSpec spec, ILoggerFactory? loggerFactory = null, VectorEncoding encoding = VectorEncoding.Float64, string logLevel = "WARNING", TlsGuard? tls = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var settings = AkkaSettings.Common(logLevel)
            .With(Settings("127.0.0.1", 0, ProtocolWireOptions.For(spec, encoding), RemoteTuning.Default, tls is not null))
            .WithText(spec.AkkaOverrides, "the akka block of the configuration");
        var host = new LoopbackHost(settings, tls);
        var outboxes = new PeerOutboxes(OutboxSettings.For(spec.Training.Dimension, encoding));
        var runtime = new ClusterRuntime(
            spec, host, loggerFactory, localClusters: null,
            remoteNode: (system, j) => outboxes.Route(system, host.AddressOf(spec.ClusterName(spec.Layout.ProcessAt(j).Cluster)), spec.Layout.ProcessAt(j), j));
        Outboxes.AddOrUpdate(runtime, outboxes);
        InstallInboxes(runtime, system => runtime.ClusterIndex(system.Name));
        foreach (var system in runtime.Systems)
        {
            tls?.Attach(system);
        }

        return runtime;
    }

    /// <summary>
    /// The runtime of one cluster of a multi-process deployment: its actor system listens at
    /// <paramref name="remote"/>'s address of <paramref name="cluster"/>, and the other clusters' nodes are
    /// reached at their configured addresses. The transport applies the fault adapters
    /// (<see cref="FaultAdapters"/>) and, when <paramref name="remote"/> configures TLS, runs TLS with
    /// <paramref name="tls"/>'s certificate and pinning. The system is an Akka.Cluster member with the
    /// cluster's name as role (<see cref="ClusterMembership"/>); it joins when <see cref="JoinCluster"/> is
    /// called; with <paramref name="mayFound"/> it may found the cluster when no other seed answers
    /// (<see cref="ClusterMembership.Join"/>). Not started.
    /// </summary>
    /// <exception cref="RemoteBindException">The address cannot be bound (port taken, host not this machine's).</exception>
    public static ClusterRuntime ForNode(
        ClusterRunSpec spec, RemoteOptions remote, int cluster, ILoggerFactory? loggerFactory = null, string logLevel = "WARNING", TlsGuard? tls = null, bool mayFound = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(remote);
        if ((remote.Tls is null) != (tls is null))
        {
            throw new ArgumentException(remote.Tls is null ? "TLS material was given but decentral.remote.tls is off." : "decentral.remote.tls is on: pass the loaded certificate.", nameof(tls));
        }

        var self = remote.Addresses[cluster];
        var settings = AkkaSettings.Common(logLevel)
            .With(Settings(self.Host!, self.Port!.Value, ProtocolWireOptions.For(spec, remote.WireFormat), remote.Tuning, tls is not null, faultAdapters: true))
            .With(ClusterMembership.Settings(remote.Clusters[cluster], OutboxSettings.HeartbeatPause(spec.Training.Dimension, remote.Tuning.IdleTimeout)))
            .WithText(spec.AkkaOverrides, "the akka block of the configuration");

        // A process that has run before (its checkpoints exist) rejoins through the other seeds only: it
        // must never found an island cluster (ClusterMembership.Join). Checked before the store opens the file.
        var rejoin = spec.CheckpointStore == CheckpointStoreKind.Sqlite && spec.CheckpointPath is { } path && File.Exists(path);
        var outboxes = new PeerOutboxes(OutboxSettings.For(spec.Training.Dimension, remote.WireFormat));
        ClusterRuntime runtime;
        try
        {
            runtime = new ClusterRuntime(
                spec, new NamedHost(new RealTimeHost(settings, tls is null ? null : _ => tls.Setup()), SystemName), loggerFactory, [cluster],
                (system, j) => outboxes.Route(system, remote.Addresses[spec.Layout.ProcessAt(j).Cluster], spec.Layout.ProcessAt(j), j));
        }
        catch (Exception e) when (IsBindFailure(e))
        {
            throw new RemoteBindException(
                $"Cannot listen on {self.Host}:{self.Port} for cluster {self.System}: port {self.Port} is already in use or {self.Host} is not an address of this machine ({Innermost(e).Message}).", e);
        }

        Outboxes.AddOrUpdate(runtime, outboxes);
        InstallInboxes(runtime, _ => cluster);
        tls?.Attach(runtime.Systems.Single());
        var log = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Decentral.Host.Cluster");
        PendingJoins.AddOrUpdate(runtime, () =>
        {
            var seeds = ClusterMembership.Join(runtime.Systems.Single(), remote.Addresses, cluster, rejoin, mayFound);
            var how = (rejoin ? "as a restarted process" : "on a fresh start") + (mayFound ? " that may found the cluster (--found-cluster)" : "");
            log.LogInformation("Joining the Akka cluster {How} through {Seeds}", how, string.Join(", ", seeds));
        });
        return runtime;
    }

    /// <summary>
    /// The Akka settings of one actor system on Akka.Remote: the embedded <c>akka-remote.conf</c>, the
    /// serializer bindings (<see cref="ProtocolSerializer.Settings"/>, <see cref="RemoteSerialization.Settings"/>),
    /// with <paramref name="tls"/> <c>akka-remote-tls.conf</c> (the certificate and its validation come in a
    /// <see cref="TlsGuard.Setup"/> beside this configuration), with <paramref name="faultAdapters"/>
    /// <c>akka-fault-adapters.conf</c>; computed on top: DotNetty TCP at <paramref name="host"/>:<paramref name="port"/>
    /// (0: any free port), frames and socket buffers sized for a model of the wire options' dimension, and
    /// the timing of <paramref name="tuning"/>. The address scheme follows (<see cref="Scheme"/>).
    /// </summary>
    public static AkkaSettings Settings(string host, int port, ProtocolWireOptions wire, RemoteTuning tuning, bool tls = false, bool faultAdapters = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(tuning);
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw new ArgumentException($"'{host}' is not a host name or IP address.", nameof(host));
        }

        var assembly = typeof(RemoteRuntimes).Assembly;
        var settings = AkkaSettings.Empty.WithResource(assembly, "akka-remote.conf")
            .With(ProtocolSerializer.Settings(wire))
            .With(RemoteSerialization.Settings());
        if (tls)
        {
            settings = settings.WithResource(assembly, "akka-remote-tls.conf");
        }

        if (faultAdapters)
        {
            settings = settings.WithResource(assembly, "akka-fault-adapters.conf");
        }

        var frame = FrameBytes(wire.Dimension);
        var buffer = Math.Clamp(frame, MinSocketBuffer, MaxSocketBuffer);
        const string tcp = "akka.remote.dot-netty.tcp.";
        return settings
            .Set("akka.remote.retry-gate-closed-for", tuning.ReconnectDelay)
            .Set("akka.remote.transport-failure-detector.heartbeat-interval", tuning.HeartbeatInterval)
            .Set("akka.remote.transport-failure-detector.acceptable-heartbeat-pause", OutboxSettings.HeartbeatPause(wire.Dimension, tuning.IdleTimeout))
            .Set(tcp + "hostname", host)
            .Set(tcp + "port", port)
            .Set(tcp + "connection-timeout", tuning.ConnectTimeout)
            .SetBytes(tcp + "maximum-frame-size", frame)
            .SetBytes(tcp + "send-buffer-size", buffer)
            .SetBytes(tcp + "receive-buffer-size", buffer);
    }

    /// <summary><see cref="Settings"/> rendered as HOCON (for a <see cref="RealTimeHost"/> or a test's own system).</summary>
    public static string Hocon(string host, int port, ProtocolWireOptions wire, RemoteTuning tuning, bool tls = false, bool faultAdapters = false) =>
        Settings(host, port, wire, tuning, tls, faultAdapters).Render();

    /// <summary>
    /// Akka's maximum frame for models of <paramref name="dimension"/>: a float64 model plus envelope (what
    /// a peer may send even when this process writes float32), at least Akka's default.
    /// </summary>
    public static int FrameBytes(int dimension) =>
        (int)Math.Clamp(ProtocolWireCodec.EncodedLength(0, VectorEncoding.Float64) + (8L * dimension) + EnvelopeBytes, MinFrameBytes, int.MaxValue);

    /// <summary>The ref <paramref name="system"/> reaches node <paramref name="p"/> of the system at <paramref name="address"/> by.</summary>
    public static IActorRef Resolve(ActorSystem system, Address address, ProcessId p)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(address);
        return ((ExtendedActorSystem)system).Provider.ResolveActorRef(new RootActorPath(address) / "user" / InboxName(p));
    }

    /// <summary>The name of the forwarder that receives node <paramref name="p"/>'s messages from other clusters.</summary>
    public static string InboxName(ProcessId p) => "inbox-n" + (p.Member + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The Akka address of one of <paramref name="runtime"/>'s systems, as its peers dial it.</summary>
    public static Address AddressOf(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return ((ExtendedActorSystem)system).Provider.DefaultAddress;
    }

    /// <summary>
    /// The inbox of node <paramref name="index"/> (global index), named <see cref="InboxName"/>: hands each
    /// protocol message to <paramref name="node"/>'s current answer and acknowledges it to the sender's outbox.
    /// </summary>
    public static Props InboxProps(Func<IActorRef?> node, int index) => Props.Create(() => new RemoteInbox(node, index));

    /// <summary>Creates, in each local system of <paramref name="runtime"/>, the inbox of each of its nodes.</summary>
    private static void InstallInboxes(ClusterRuntime runtime, Func<ActorSystem, int> clusterOf)
    {
        var spec = runtime.Spec;
        foreach (var system in runtime.Systems)
        {
            var cluster = clusterOf(system);
            foreach (var p in spec.Layout.Members(cluster))
            {
                var index = spec.Layout.IndexOf(p);
                system.ActorOf(InboxProps(() => runtime.NodeRef(index), index), InboxName(p));
            }
        }
    }

    private static bool IsBindFailure(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is System.Net.Sockets.SocketException or Akka.Remote.RemoteTransportException)
            {
                return true;
            }

            if (x is AggregateException aggregate && aggregate.InnerExceptions.Any(IsBindFailure))
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    /// <summary>
    /// Hands every protocol message to node <paramref name="index"/>'s current incarnation (lost while it is
    /// crashed) and acknowledges it to the sending outbox (<see cref="PeerOutboxes"/>).
    /// </summary>
    private sealed class RemoteInbox : ReceiveActor
    {
        public RemoteInbox(Func<IActorRef?> node, int index)
        {
            Receive<ProtocolMessage>(m =>
            {
                node()?.Tell(m, Sender);
                if (!Sender.IsNobody())
                {
                    Sender.Tell(new Delivered(m.Sender, index, m.Stage.Iteration, m.Stage.Round), Self);
                }
            });
        }
    }

    /// <summary>Creates every system under one <paramref name="name"/>, whatever the runtime calls it (its cluster's name).</summary>
    private sealed class NamedHost(IActorHost inner, string name) : IActorHost
    {
        public bool IsVirtual => inner.IsVirtual;

        public TimeSpan Elapsed => inner.Elapsed;

        public INetworkClock Clock => inner.Clock;

        public ActorSystem CreateSystem(string cluster) => inner.CreateSystem(name);

        public void Schedule(TimeSpan delay, Action action) => inner.Schedule(delay, action);

        public void Terminate(IReadOnlyList<ActorSystem> toStop, IActorRef? drainFirst) => inner.Terminate(toStop, drainFirst);
    }

    /// <summary>Real time, every system on its own free loopback port; remembers the systems by name.</summary>
    private sealed class LoopbackHost(AkkaSettings settings, TlsGuard? tls) : IActorHost
    {
        private readonly RealTimeHost inner = new(settings, tls is null ? null : _ => tls.Setup());
        private readonly ConcurrentDictionary<string, ActorSystem> systems = new(StringComparer.Ordinal);

        public bool IsVirtual => false;

        public TimeSpan Elapsed => inner.Elapsed;

        public INetworkClock Clock => inner.Clock;

        public ActorSystem CreateSystem(string name)
        {
            var system = inner.CreateSystem(name);
            systems[name] = system;
            return system;
        }

        public Address AddressOf(string name) => RemoteRuntimes.AddressOf(systems[name]);

        public void Schedule(TimeSpan delay, Action action) => inner.Schedule(delay, action);

        public void Terminate(IReadOnlyList<ActorSystem> toStop, IActorRef? drainFirst) => inner.Terminate(toStop, drainFirst);
    }
}

/// <summary>An actor system could not listen on its configured address.</summary>
public sealed class RemoteBindException : Exception
{
    public RemoteBindException()
    {
    }

    public RemoteBindException(string message)
        : base(message)
    {
    }

    public RemoteBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
