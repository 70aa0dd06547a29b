using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Configuration;
using Decentral.Nodes.Checkpoints;
using Decentral.Nodes.Network;
using Decentral.Remote;
using Microsoft.Extensions.Logging.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>Issue 24's defects that need no process: the pieces the deployment tests exercise end to end.</summary>
public sealed class DefectUnitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "decentral-defect-tests", Guid.NewGuid().ToString("N")[..12]);

    public DefectUnitTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void A_claimed_address_cannot_be_claimed_again_and_a_reuseport_listener_is_seen()
    {
        var port = Deployment.FreePorts(1)[0];
        using (var claim = AddressClaim.Acquire("c2", "127.0.0.1", port, _directory))
        {
            var e = Assert.Throws<RemoteBindException>(() => AddressClaim.Acquire("c2", "127.0.0.1", port, _directory));
            Assert.Contains($"Cluster c2's address 127.0.0.1:{port} is already held by process {Environment.ProcessId} (cluster c2", e.Message, StringComparison.Ordinal);
        }

        // Released with its holder; a listener with SO_REUSEADDR (+ SO_REUSEPORT on Linux, as Akka's) still blocks it.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen();
        var taken = Assert.Throws<RemoteBindException>(() => AddressClaim.Acquire("c2", "127.0.0.1", port, _directory));
        Assert.Contains($"for cluster c2: port {port} is already in use", taken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_count_only_from_the_configured_address_of_the_senders_cluster_with_a_matching_fingerprint()
    {
        var spec = RunConfiguration.Load(null).Spec;
        var remote = new RemoteOptions
        {
            Clusters = ["c1", "c2", "c3"],
            Addresses = [.. new[] { 25520, 25521, 25522 }.Select(p => new Address("akka.tcp", "decentral", "127.0.0.1", p))],
            AdminPorts = [1, 2, 3],
            StateDirectory = _directory,
        };
        var mine = DeploymentFingerprint.Of(spec);
        var identity = new PeerIdentity(remote, 0, spec.Layout, mine, NullLogger.Instance);
        var c2 = remote.Addresses[1];
        var c2Node = spec.Layout.IndexOf(new ProcessId(1, 0));
        var c3Node = spec.Layout.IndexOf(new ProcessId(2, 0));

        Assert.Equal(PeerVerdict.Unverified, identity.Check(c2, c2Node));
        Assert.Equal(PeerVerdict.SenderNotOfCluster, identity.Check(c2, c3Node));
        identity.OnHello(c2, new PeerHello("c2", [.. mine.Entries.Select(e => e.Key)], [.. mine.Entries.Select(e => e.Value)], Reply: false));
        Assert.Equal(PeerVerdict.Accepted, identity.Check(c2, c2Node));

        // A verified peer relays a quorum's messages to a laggard with their senders unchanged: accepted, counted.
        Assert.Equal(PeerVerdict.Accepted, identity.Check(c2, c3Node));
        Assert.Equal(1, identity.Relayed);
        Assert.Equal(PeerVerdict.UnknownAddress, identity.Check(new Address("akka.tcp", "decentral", "127.0.0.1", 40000), c2Node));
        Assert.Equal(PeerVerdict.NoSender, identity.Check(null, c2Node));

        // Another layout: refused, the differing entry named with both values; a restart must show it again.
        var other = DeploymentFingerprint.Of(spec with { Protocol = spec.Protocol with { Iterations = spec.Protocol.Iterations + 1 } });
        identity.OnHello(c2, new PeerHello("c2", [.. other.Entries.Select(e => e.Key)], [.. other.Entries.Select(e => e.Value)], Reply: true));
        Assert.Equal(PeerVerdict.Refused, identity.Check(c2, c2Node));
        Assert.Equal($"refused: iterations: {spec.Protocol.Iterations} here, {spec.Protocol.Iterations + 1} there", identity.StateOf(1));
        identity.Reset(c2);
        Assert.Equal(PeerVerdict.Unverified, identity.Check(c2, c2Node));
        Assert.Equal(4, identity.Rejected);
        Assert.Equal(2, identity.Unverified);
    }

    [Fact]
    public void Heal_delivers_what_a_delay_held_at_once_and_long_delays_never_throw()
    {
        var clock = new ManualClock();
        var network = new FaultyNetwork(clock, 1, TimeSpan.Zero);
        network.AddEndpoint("c1");
        network.AddEndpoint("c2");
        var delivered = new List<int>();
        network.SetDelay("c1", "c2", DelayDistribution.Constant(TimeSpan.FromSeconds(30)), LinkDirection.Send);
        for (var i = 0; i < 3; i++)
        {
            var n = i;
            network.Send("c1", "c2", () => delivered.Add(n));
        }

        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(delivered);
        network.Heal();
        Assert.Equal([0, 1, 2], delivered);
        network.Send("c1", "c2", () => delivered.Add(3));
        Assert.Equal([0, 1, 2, 3], delivered);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal([0, 1, 2, 3], delivered);

        // A delay beyond what a .NET timer takes waits the longest it can instead of throwing in every send.
        var real = new FaultyNetwork(SystemNetworkClock.Instance, 1, TimeSpan.Zero);
        real.AddEndpoint("c1");
        real.AddEndpoint("c2");
        real.SetDelay("c1", "c2", DelayDistribution.Constant(TimeSpan.FromDays(60)), LinkDirection.Send);
        real.Send("c1", "c2", () => { });
        Assert.Equal(1, real.DelayedCount);
        real.Heal();
    }

    [Fact]
    public void A_damaged_checkpoint_file_is_set_aside_for_an_empty_store()
    {
        var path = Path.Combine(_directory, "c2.sqlite");
        using (var store = new SqliteCheckpointStore(path))
        {
            for (var i = 1; i <= 30; i++)
            {
                store.Save(new Checkpoint("c2/n1", 1, i, 0, new double[200], [], DateTimeOffset.UnixEpoch));
            }
        }

        Assert.Equal(CheckpointStoreCheck.Healthy, CheckpointStoreRecovery.Prepare(path, 3));
        var bytes = File.ReadAllBytes(path);
        new SeededRandom(7UL).NextBytes(bytes.AsSpan(4096));
        File.WriteAllBytes(path, bytes);

        var check = CheckpointStoreRecovery.Prepare(path, 3, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        Assert.NotNull(check.Problem);
        Assert.Equal(path + ".unreadable-20260102T030405", check.SetAsideTo);
        Assert.True(File.Exists(check.SetAsideTo));
        using var fresh = new SqliteCheckpointStore(path);
        Assert.False(fresh.LoadLatestValid("c2/n1").Found);
        Assert.StartsWith("checkpoint store unreadable (", check.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_paths_that_are_directories_or_unreadable_say_so()
    {
        var directory = Assert.Throws<ConfigurationException>(() => RemoteTls.Load(new TlsOptions(_directory, null, null, [])));
        Assert.Contains($"'{_directory}' is a directory", Assert.Single(directory.Errors).Problem, StringComparison.Ordinal);

        if (OperatingSystem.IsLinux())
        {
            // Exists, and no one may read it as a file (even root): what a file of another account looks like.
            var unreadable = Assert.Throws<ConfigurationException>(() => RemoteTls.Load(new TlsOptions("/proc/self/mem", null, null, [])));
            Assert.Contains("cannot read certificate file '/proc/self/mem'", Assert.Single(unreadable.Errors).Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Akkas_per_connection_error_lines_are_keyed_by_peer_host_without_the_port()
    {
        Assert.Equal("[::ffff:127.0.0.1]", Decentral.Nodes.Runtime.StderrLogger.PeerHost("Error caught channel [[::ffff:127.0.0.1]:25520->[::ffff:127.0.0.1]:43122](Id=abc)"));
        Assert.Equal("127.0.0.1", Decentral.Nodes.Runtime.StderrLogger.PeerHost("Rejected incoming connection from [127.0.0.1:5555] due to TLS handshake failure."));
        Assert.Equal("", Decentral.Nodes.Runtime.StderrLogger.PeerHost("Something else"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ManualClock : INetworkClock
    {
        private readonly List<(TimeSpan Due, Action Action)> _timers = [];

        public TimeSpan Now { get; private set; }

        public void Schedule(TimeSpan delay, Action action) => _timers.Add((Now + delay, action));

        public void Advance(TimeSpan by)
        {
            Now += by;
            foreach (var due in _timers.Where(t => t.Due <= Now).ToList())
            {
                _timers.Remove(due);
                due.Action();
            }
        }
    }
}
