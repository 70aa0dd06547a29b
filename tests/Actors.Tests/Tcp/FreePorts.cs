using System.Net;
using System.Net.Sockets;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>Loopback ports free at the moment of asking (the OS picks them; a later bind may still race, rarely).</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static Address Loopback(string system) => new(system, "127.0.0.1", Next());
}
