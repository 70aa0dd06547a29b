using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Decentral.Remote;

/// <summary>
/// Exclusive use of a cluster's Akka address (host:port) on this machine. Akka.Remote's DotNetty listener
/// sets SO_REUSEADDR, which .NET on Linux turns into SO_REUSEPORT as well: a second `decentral node` for a
/// running cluster would bind the same port beside it, join Akka.Cluster as a new incarnation of the
/// address and evict the running one. (Turning reuse off is no cure: a restarted process could then not
/// bind while the dead one's connections linger in TIME_WAIT.) So before its actor system starts, a
/// process
/// <list type="number">
/// <item>takes an exclusive lock on a file named for the address in a per-user directory under the
/// temporary directory (released by the kernel when the process dies, even by kill -9) and writes its pid
/// and cluster beside it, so a second process can say which process holds the address;</item>
/// <item>probes the port with SO_REUSEADDR alone (no SO_REUSEPORT): the bind fails while anything listens
/// there, whoever started it, and succeeds over connections a dead process left in TIME_WAIT.</item>
/// </list>
/// The lock is held until <see cref="Dispose"/> (the end of the process).
/// </summary>
public sealed class AddressClaim : IDisposable
{
    private readonly FileStream _lock;

    private AddressClaim(FileStream fileLock, string lockPath)
    {
        _lock = fileLock;
        LockPath = lockPath;
    }

    /// <summary>The lock file this process holds.</summary>
    public string LockPath { get; }

    /// <summary>Where the locks of this user's processes live (one directory per user: only the same user can share a port).</summary>
    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "decentral-" + Environment.UserName);

    /// <summary>Claims <paramref name="host"/>:<paramref name="port"/> for cluster <paramref name="cluster"/>.</summary>
    /// <exception cref="RemoteBindException">Another process holds the address (named with its pid) or listens on the port.</exception>
    public static AddressClaim Acquire(string cluster, string host, int port, string? directory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        directory ??= DefaultDirectory;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var name = string.Concat(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + "-" + port.ToString(CultureInfo.InvariantCulture);
        var lockPath = Path.Combine(directory, name + ".lock");
        var ownerPath = Path.Combine(directory, name + ".owner");
        FileStream held;
        try
        {
            // FileShare.None: .NET takes an exclusive flock on Unix, which the kernel drops with the process.
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new RemoteBindException(
                $"Cluster {cluster}'s address {host}:{port} is already held by {Owner(ownerPath)}: one process per cluster; a second would evict the running one from the deployment. Stop it first (lock {lockPath}).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RemoteBindException($"Cannot claim {host}:{port} for cluster {cluster}: the lock file {lockPath} cannot be created ({e.Message}).", e);
        }

        try
        {
            File.WriteAllText(ownerPath, string.Create(CultureInfo.InvariantCulture,
                $"{Environment.ProcessId} {cluster} {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}"));
            Probe(cluster, host, port);
            return new AddressClaim(held, lockPath);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>"process 1234 (cluster c2, since 2025-…)", from the owner file the holder wrote.</summary>
    private static string Owner(string ownerPath)
    {
        try
        {
            var parts = File.ReadAllText(ownerPath).Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 3 ? $"process {parts[0]} (cluster {parts[1]}, since {parts[2]})" : "another process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }

    /// <summary>Fails when something listens on the port (whatever its socket options); other bind failures are Akka's to report.</summary>
    private static void Probe(string cluster, string host, int port)
    {
        if (!IPAddress.TryParse(host, out var ip))
        {
            try
            {
                ip = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? Dns.GetHostAddresses(host).FirstOrDefault();
            }
            catch (SocketException)
            {
                return;
            }

            if (ip is null)
            {
                return;
            }
        }

        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (OperatingSystem.IsLinux())
        {
            // SOL_SOCKET = 1, SO_REUSEADDR = 2: reuse over TIME_WAIT, but not beside a listener (.NET's own
            // ReuseAddress option would add SO_REUSEPORT and so share the port with a listener that has it).
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            socket.SetRawSocketOption(0xffff, 0x4, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsWindows())
        {
            socket.ExclusiveAddressUse = true;
        }

        try
        {
            socket.Bind(new IPEndPoint(ip, port));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new RemoteBindException(
                $"Cannot listen on {host}:{port} for cluster {cluster}: port {port} is already in use by another process ({e.Message}).", e);
        }
        catch (SocketException)
        {
            // Not an address of this machine, and the like: Akka's own bind says so with the cluster's name.
        }
    }
}
