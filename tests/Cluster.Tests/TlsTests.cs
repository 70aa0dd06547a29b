using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Configuration;
using Decentral.Remote;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Decentral.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// TLS between the processes of a deployment (Akka.Remote's DotNetty SSL, mutual, pinned to the
/// deployment's certificate) and the link faults in Akka's transport adapters: a peer with another
/// certificate gets nothing through and is counted and logged once; `decentral cert` writes what the
/// configuration loads; certificate problems and plaintext beyond loopback stop a process with exit code 2
/// naming the key; blackhole, heal and drop act in the throttler and failure injector over TLS.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TlsTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);
    private const int Iterations = 200;

    private readonly Deployment _deployment = new(output, Iterations, computeScale: "20ms");

    [Fact]
    public void A_peer_with_the_wrong_certificate_is_refused_counted_and_logged_once_while_training_goes_on()
    {
        var d = _deployment;
        var dimension = RunConfiguration.Load(d.ConfigFile).Spec.Training.Dimension;
        d.StartUp();
        d.WaitUntil(() => Enumerable.Range(0, 3).All(c => d.Frontier(c) >= 5), Phase, "all three clusters at iteration 5");
        ClusterStatusReport? before = null;
        d.WaitUntil(() => (before = d.Status(0)) is not null, Phase, "c1's status");
        Assert.Equal(0, before!.Transport.CertificatesRejected);

        // An actor system with a certificate of its own (it would accept c1's): it retries quickly, and sends
        // models of the wrong dimension, which c1's codec would count if a single one got through.
        using var foreign = X509CertificateLoader.LoadPkcs12(RemoteTls.CreateDevelopmentPfx("intruder", 1, null), null);
        var deploymentThumbprint = RemoteTls.Load(new TlsOptions(d.CertificateFile, null, Deployment.PasswordEnv, [])).PinnedThumbprints[0];
        var intruderGuard = new TlsGuard(new TlsMaterial(foreign, [foreign.Thumbprint, deploymentThumbprint]), NullLogger.Instance);
        var quick = new RemoteTuning(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var host = new RealTimeHost(
            RemoteRuntimes.Hocon("127.0.0.1", 0, new ProtocolWireOptions { Dimension = dimension + 1 }, quick, tls: true, faultAdapters: true),
            setup: _ => intruderGuard.Setup());
        var intruder = host.CreateSystem("intruder");
        try
        {
            var toC1 = RemoteRuntimes.Resolve(intruder, Address.Parse(before.Address), new ProcessId(0, 0));
            ClusterStatusReport? during = null;
            d.WaitUntil(() =>
            {
                toC1.Tell(new ModelMessage(1, 3, new double[dimension + 1]), ActorRefs.NoSender);
                return (during = d.Status(0)) is { Transport: { CertificatesRejected: >= 3, ConnectionsRefused: >= 3 } };
            }, Phase, "c1 refusing the intruder's certificate three times");

            // Nothing got through: no model of the wrong dimension reached c1's codec.
            Assert.Equal(0, during!.CodecRejections);
            Assert.Equal(0, during.Transport.Rejections.GetValueOrDefault(nameof(WireRejection.DimensionMismatch)));
            Assert.Equal(before.Pid, during.Pid);
        }
        finally
        {
            host.Terminate([intruder], null);
        }

        // Logged once: Decentral's own line and each of Akka's TLS failure lines, though refused three times or more.
        var log = ReadShared(Path.Combine(d.StateDirectory, "c1.log"));
        Assert.Equal(1, Count(log, "Refused a TLS connection with"));
        Assert.Contains("CN=intruder", log, StringComparison.Ordinal);
        Assert.InRange(Count(log, "Certificate pinning failed"), 0, 1);
        Assert.InRange(Count(log, "TLS handshake failed on channel"), 0, 1);
        Assert.InRange(Count(log, "Rejected incoming connection"), 0, 1);

        // Nothing else disturbed: c1 keeps its peers and trains on (ten more iterations, or to the end when
        // fewer are left), and the run completes.
        d.WaitForProgress(0, 10, Iterations, "c1 progressing with both peers after the intrusion", s => s.Peers.All(p => p.Link == "connected"));

        var report = JsonSerializer.Deserialize<UpReport>(d.WaitForUp(TimeSpan.FromSeconds(120)), AdminJson.RunShaped)!;
        Assert.True(report.Completed);
        Assert.Equal(9, report.Final.LiveNodes);
        Assert.All(report.PerCluster, c => Assert.Equal(Iterations, c.Frontier));
        Assert.All(report.PerCluster, c => Assert.Equal(0, c.Rejected));
    }

    [Fact]
    public void Blackhole_heal_and_drop_act_in_the_transport_adapters_over_tls()
    {
        var material = RemoteTls.Load(new TlsOptions(_deployment.CertificateFile, null, Deployment.PasswordEnv, []));
        var guard = new TlsGuard(material, NullLogger.Instance);
        var host = new RealTimeHost(
            RemoteRuntimes.Hocon("127.0.0.1", 0, new ProtocolWireOptions { Dimension = 4, ProcessCount = 2 }, RemoteTuning.Default, tls: true, faultAdapters: true),
            setup: _ => guard.Setup());
        var a = host.CreateSystem("a");
        var b = host.CreateSystem("b");
        try
        {
            var addresses = new[] { RemoteRuntimes.AddressOf(a), RemoteRuntimes.AddressOf(b) };
            Assert.All(addresses, x => Assert.Equal("akka.trttl.gremlin.ssl.tcp", x.Protocol));
            var remote = new RemoteOptions
            {
                Clusters = ["a", "b"],
                Addresses = addresses,
                AdminPorts = [1, 2],
                StateDirectory = _deployment.StateDirectory,
            };
            var faults = new TransportFaults(a, remote, 0);
            var received = new ConcurrentQueue<ModelMessage>();
            b.ActorOf(Props.Create(() => new Collector(received)), "n1");
            var target = ((ExtendedActorSystem)a).Provider.ResolveActorRef(new RootActorPath(addresses[1]) / "user" / "n1");
            var time = TestTime.Real();
            void Deliver(int iteration, string what) => time.AwaitCondition(
                () =>
                {
                    target.Tell(new ModelMessage(iteration, 0, [1, 2, 3, 4]), ActorRefs.NoSender);
                    return received.Any(m => m.Iteration == iteration);
                },
                Phase, TimeSpan.FromMilliseconds(50), what);

            Deliver(1, "a model over TLS before any fault");
            var serializer = ProtocolSerializer.Of(a);

            // Sends iterations from…to and waits until a's endpoint writer has encoded one more after them:
            // it writes in order, so all of them have then passed the adapters (Tell alone returns earlier).
            void SendThrough(int from, int to)
            {
                var before = serializer.Counters.MessagesEncoded;
                for (var t = from; t <= to + 1; t++)
                {
                    target.Tell(new ModelMessage(t, 0, [1, 2, 3, 4]), ActorRefs.NoSender);
                }

                time.AwaitCondition(() => serializer.Counters.MessagesEncoded >= before + (to - from + 2), Phase, TimeSpan.FromMilliseconds(20), $"iterations {from}…{to + 1} encoded");
            }

            // Blackholed: dropped, never delivered late (the heal's model arrives, none of these before it).
            faults.Blackhole(1);
            Assert.Equal(["blackholed"], faults.Describe(1));
            SendThrough(2, 21);
            faults.Heal();
            Assert.Empty(faults.Describe(1));
            Deliver(30, "a model after the heal");
            Assert.DoesNotContain(received, m => m.Iteration is >= 2 and <= 21);

            // The failure injector: p = 1 drops everything this side sends, p = 0 nothing.
            faults.Drop(1, 1.0);
            Assert.Equal(["drop 1"], faults.Describe(1));
            SendThrough(40, 59);
            faults.Drop(1, 0);
            Deliver(70, "a model after the drop ended");
            Assert.DoesNotContain(received, m => m.Iteration is >= 40 and <= 59);
            Assert.Throws<ArgumentException>(() => faults.Blackhole(0));
            Assert.Throws<ArgumentException>(() => faults.Partition([["a"], ["a", "b"]]));
            Assert.Equal(["b"], faults.Partition([["a"], ["b"]]));
            Assert.Equal(0, guard.CertificatesRejected);
        }
        finally
        {
            host.Terminate([a, b], null);
        }
    }

    [Fact]
    public void Cert_writes_a_development_certificate_the_configuration_loads()
    {
        var d = _deployment;
        var path = Path.Combine(d.Directory, "other.pfx");
        var (code, stdout, _) = d.Cli("cert", "--out", path, "--password-env", Deployment.PasswordEnv, "--days", "30");
        Assert.Equal(0, code);

        var material = RemoteTls.Load(new TlsOptions(path, null, Deployment.PasswordEnv, ["00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33"]));
        Assert.True(material.Certificate.HasPrivateKey);
        Assert.Contains("thumbprint " + material.Certificate.Thumbprint, stdout, StringComparison.Ordinal);
        Assert.Equal([material.Certificate.Thumbprint, "00112233445566778899AABBCCDDEEFF00112233"], material.PinnedThumbprints);
        Assert.InRange(material.Certificate.NotAfter, DateTime.Now.AddDays(29), DateTime.Now.AddDays(32));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(2, d.Cli("cert", "--out", path).Code);
        Assert.Contains("--force", d.Cli("cert", "--out", path).Err, StringComparison.Ordinal);
        Assert.Contains("DECENTRAL_NO_SUCH_VARIABLE is not set", d.Cli("cert", "--out", path + "2", "--password-env", "DECENTRAL_NO_SUCH_VARIABLE").Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decentral.remote.tls.certificate = \"missing.pfx\"", "not found")]
    [InlineData("decentral.remote.tls.certificate = \"{dir}/cluster.conf\"", "is not a PKCS#12")]
    [InlineData("decentral.remote.tls.password-env = DECENTRAL_NO_SUCH_VARIABLE", "wrong password (environment variable DECENTRAL_NO_SUCH_VARIABLE is not set)")]
    [InlineData("decentral.remote.tls.certificate = null ; decentral.remote.clusters.c2.host = \"10.0.0.6\"", "required: c2 listens on 10.0.0.6 beyond loopback")]
    public void Tls_problems_are_configuration_errors_naming_the_certificate_key(string assignments, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() =>
        {
            var remote = RemoteOptionsReader.Read(RunConfiguration.Load(_deployment.ConfigFile, assignments.Replace("{dir}", _deployment.Directory, StringComparison.Ordinal).Split(" ; ")));
            RemoteTls.Load(remote.Tls!);
        });

        var error = Assert.Single(e.Errors);
        Assert.Equal(TlsOptions.CertificateKey, error.Key);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-password", null, "wrong password")]
    [InlineData(Deployment.Password, "decentral.remote.tls.certificate=null;decentral.remote.clusters.c1.host=\"10.0.0.5\"", "beyond loopback")]
    public void A_node_with_a_bad_certificate_setting_exits_with_code_2_naming_the_key(string password, string? overrides, string problem)
    {
        string[] set = overrides is null ? [] : [.. overrides.Split(';').SelectMany(o => new[] { "--set", o })];
        var start = new ProcessStartInfo(Deployment.DotnetHost(), [Deployment.DecentralDll, "node", "--config", _deployment.ConfigFile, "--cluster", "c1", .. set])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[Deployment.PasswordEnv] = password;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("decentral node did not exit within 30 s");
        }

        process.WaitForExit();
        output.WriteLine($"node → {process.ExitCode}: {stderr.Result}{stdout.Result}");
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(TlsOptions.CertificateKey, stderr.Result, StringComparison.Ordinal);
        Assert.Contains(problem, stderr.Result, StringComparison.Ordinal);
    }

    public void Dispose() => _deployment.Dispose();

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class Collector : ReceiveActor
    {
        public Collector(ConcurrentQueue<ModelMessage> received) => Receive<ModelMessage>(received.Enqueue);
    }
}
