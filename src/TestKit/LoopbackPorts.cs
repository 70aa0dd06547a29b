using System.Net;
using System.Net.Sockets;

namespace Decentral.TestKit;

/// <summary>Free TCP ports on 127.0.0.1 for tests that bind real sockets.</summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// <paramref name="count"/> distinct ports the OS calls free and this process has not handed out
    /// before: the probe sockets stay open together, so the OS cannot offer one twice, and a port given
    /// to an earlier caller is skipped (the OS may offer a just-closed probe's port again). Another
    /// process may still take one before the test binds it, rarely.
    /// </summary>
    public static int[] Free(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var sockets = new List<Socket>();
        var ports = new List<int>();
        try
        {
            while (ports.Count < count)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                lock (Given)
                {
                    if (Given.Add(port))
                    {
                        ports.Add(port);
                    }
                }
            }

            return [.. ports];
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
