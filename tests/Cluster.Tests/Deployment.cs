using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using Decentral.Remote;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// A real multi-process deployment on 127.0.0.1 for one test: a temporary directory with a configuration
/// (ports chosen free when the test starts) and, unless the test asks for plaintext, a development
/// certificate written by `decentral cert` (TLS between the processes, its password in
/// <see cref="PasswordEnv"/>), `decentral up` as a child process, HTTP reads of the admin
/// endpoints, in-process CLI calls, and bounded waits that poll (no sleeps). Dispose kills every process
/// the test started, directly or through `up` and `fault restart`, by its id.
/// </summary>
internal sealed class Deployment : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly HashSet<int> _pids = [];
    private readonly StringBuilder _upOut = new();
    private readonly StringBuilder _upErr = new();
    private Process? _up;

    public Deployment(ITestOutputHelper output, int iterations, string computeScale, string extra = "", bool tls = true)
    {
        _output = output;
        Directory = Path.Combine(Path.GetTempPath(), "decentral-cluster-tests", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        var tlsSection = "";
        if (tls)
        {
            // The processes (`up`'s children, `fault restart`'s node) inherit the password from this process.
            Environment.SetEnvironmentVariable(PasswordEnv, Password);
            var (code, _, err) = Cli("cert", "--out", CertificateFile, "--password-env", PasswordEnv, "--subject", "decentral-test");
            Assert.True(code == 0, $"decentral cert failed: {err}");
            tlsSection = $"tls {{\n    certificate = \"cert.pfx\"\n    password-env = {PasswordEnv}\n  }}";
        }

        var ports = FreePorts(6);
        Ports = ports[..3];
        AdminPorts = ports[3..];
        ConfigFile = Path.Combine(Directory, "cluster.conf");
        File.WriteAllText(ConfigFile, string.Create(CultureInfo.InvariantCulture, $$"""
            decentral {
              cluster { clusters = 3, cluster-size = 3, quorum = processes }
              model { objective = logistic-nonconvex, lambda = 0.01, data = "{{Repository.Data("breast_cancer_scale.libsvm")}}" }
              sgd { iterations = {{iterations}}, batch-size = 32 }
              agreement.rounds = 3
              compute-time { model = fixed, scale = {{computeScale}} }
              network.resend-interval = 100ms
              remote {
                clusters { c1 { port = {{Ports[0]}} }, c2 { port = {{Ports[1]}} }, c3 { port = {{Ports[2]}} } }
                admin-ports = [{{AdminPorts[0]}}, {{AdminPorts[1]}}, {{AdminPorts[2]}}]
                state-dir = "state"
                reconnect-delay = 300ms
                connect-timeout = 3s
                linger = 0s
                {{tlsSection}}
              }
              {{extra}}
            }
            """));
        _output.WriteLine($"deployment in {Directory}: ports {string.Join(",", Ports)}, admin {string.Join(",", AdminPorts)}");
    }

    /// <summary>The environment variable with the deployment certificate's password.</summary>
    public const string PasswordEnv = "DECENTRAL_TEST_TLS_PASSWORD";

    /// <summary>The password of every test deployment's certificate (a test secret, nothing to protect).</summary>
    public const string Password = "decentral-test-password";

    public string Directory { get; }

    /// <summary>The deployment's certificate (PKCS#12 with its key), when it runs TLS.</summary>
    public string CertificateFile => Path.Combine(Directory, "cert.pfx");

    public string ConfigFile { get; }

    public int[] Ports { get; }

    public int[] AdminPorts { get; }

    public string StateDirectory => Path.Combine(Directory, "state");

    public static string DecentralDll => Path.Combine(AppContext.BaseDirectory, "decentral.dll");

    public Process Up => _up ?? throw new InvalidOperationException("Call StartUp first.");

    public string UpOutput
    {
        get
        {
            lock (_upOut)
            {
                return _upOut.ToString();
            }
        }
    }

    /// <summary>Starts `decentral up --config FILE --json` as a child process.</summary>
    public void StartUp()
    {
        var start = new ProcessStartInfo(DotnetHost(), [DecentralDll, "up", "--config", ConfigFile, "--json", "--grace", "5"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        _up = Process.Start(start)!;
        _pids.Add(_up.Id);
        _up.OutputDataReceived += (_, e) => Append(_upOut, e.Data);
        _up.ErrorDataReceived += (_, e) => Append(_upErr, e.Data);
        _up.BeginOutputReadLine();
        _up.BeginErrorReadLine();
    }

    /// <summary>The cluster's status, or null when its admin endpoint does not answer; remembers its pid for cleanup.</summary>
    public ClusterStatusReport? Status(int cluster)
    {
        try
        {
            var status = _http.GetFromJsonAsync<ClusterStatusReport>(new Uri($"http://127.0.0.1:{AdminPorts[cluster]}/status"), AdminJson.Options).GetAwaiter().GetResult();
            if (status is not null)
            {
                lock (_pids)
                {
                    _pids.Add(status.Pid);
                }
            }

            return status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public int Frontier(int cluster) => Status(cluster)?.Frontier ?? -1;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> and the last statuses.</summary>
    public void WaitUntil(Func<bool> condition, TimeSpan max, string what)
    {
        try
        {
            TestTime.Real().AwaitCondition(condition, max, TimeSpan.FromMilliseconds(100), what);
        }
        catch (TestKitAssertionException)
        {
            _output.WriteLine("statuses: " + string.Join(" | ", Enumerable.Range(0, 3).Select(c => Status(c) is { } s ? $"{s.Cluster} {s.Frontier} done={s.Done}" : "down")));
            _output.WriteLine("up stdout: " + UpOutput);
            _output.WriteLine("up stderr: " + _upErr);
            throw;
        }
    }

    /// <summary>
    /// Waits for <paramref name="cluster"/> to advance <paramref name="by"/> iterations past where it is now
    /// (or to <paramref name="total"/> when fewer are left) with <paramref name="also"/> holding, or for `up`
    /// to have ended (a run near its end may finish first; the caller checks the report).
    /// </summary>
    public void WaitForProgress(int cluster, int by, int total, string what, Func<ClusterStatusReport, bool>? also = null)
    {
        var now = Status(cluster);
        Assert.True(now is not null || Up.HasExited, $"c{cluster + 1} stopped answering while the run went on");
        if (now is null)
        {
            return;
        }

        var target = Math.Min(now.Frontier + by, total);
        WaitUntil(() => Up.HasExited || (Status(cluster) is { } s && s.Frontier >= target && (also is null || also(s))), TimeSpan.FromSeconds(60), what);
    }

    /// <summary>Runs the CLI in this process (as `decentral ARGS`) and returns its exit code and output.</summary>
    public (int Code, string Out, string Err) Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Host.Cli.Run(args, stdout, stderr);
        _output.WriteLine($"decentral {string.Join(' ', args)} → {code}\n{stdout}{stderr}");
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Waits (bounded) for `up` to exit and returns what it printed on stdout.</summary>
    public string WaitForUp(TimeSpan max)
    {
        if (!Up.WaitForExit(max))
        {
            Assert.Fail($"`up` did not exit within {max}. stdout: {UpOutput} stderr: {_upErr}");
        }

        Up.WaitForExit();
        _output.WriteLine($"up exited with {Up.ExitCode}; stderr: {_upErr}");
        return UpOutput;
    }

    /// <summary>Kills a process the way kill -9 does.</summary>
    public static void KillHard(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(10_000);
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        var pids = new HashSet<int>(_pids);
        if (System.IO.Directory.Exists(StateDirectory))
        {
            foreach (var file in System.IO.Directory.GetFiles(StateDirectory, "*.pid"))
            {
                if (int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    pids.Add(pid);
                }
            }
        }

        if (_up is { HasExited: false })
        {
            _up.Kill(entireProcessTree: true);
        }

        foreach (var pid in pids.Where(p => p != Environment.ProcessId && IsAlive(p)))
        {
            try
            {
                KillHard(pid);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }

        _up?.Dispose();
        _http.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Distinct free loopback ports (<see cref="LoopbackPorts"/>).</summary>
    public static int[] FreePorts(int count) => LoopbackPorts.Free(count);

    public static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}

/// <summary>The repository's files, found from this source file when the tests run from an artifacts folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Data(string fileName)
    {
        var path = Path.Combine(Root, "data", fileName);
        Assert.True(File.Exists(path), $"Data file {fileName} not found in {Path.Combine(Root, "data")}.");
        return path;
    }

    private static string Find([CallerFilePath] string thisFile = "")
    {
        string[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(thisFile) ?? "", System.IO.Directory.GetCurrentDirectory()];
        foreach (var start in starts.Where(s => s.Length > 0 && System.IO.Directory.Exists(s)))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Decentral.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"Decentral.sln not found above {string.Join(" or ", starts)}.");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    /// <summary>Tests that start OS processes run one at a time: two cores cannot host two deployments at once.</summary>
    public const string Name = "processes";
}
