using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>Listens on one bound address and runs an <see cref="InboundConnection"/> per accepted socket.</summary>
internal sealed class TcpListenerLoop
{
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddr = 2;
    private const int BsdSolSocket = 0xFFFF;
    private const int BsdSoReuseAddr = 4;

    private readonly TcpTransport _transport;
    private readonly Socket _socket;
    private readonly Action<TransportEnvelope> _inbound;
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    private TcpListenerLoop(TcpTransport transport, Address address, Socket socket, Action<TransportEnvelope> inbound)
    {
        _transport = transport;
        Address = address;
        _socket = socket;
        _inbound = inbound;
    }

    public Address Address { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds and listens now, so a port in use fails the Bind call with a message naming it.</summary>
    public static TcpListenerLoop Start(TcpTransport transport, Address address, Action<TransportEnvelope> inbound)
    {
        var ip = Resolve(address);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            AllowRebindOverTimeWait(socket);

            socket.Bind(new IPEndPoint(ip, address.Port!.Value));
            socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var reason = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"port {address.Port} is already in use",
                SocketError.AddressNotAvailable => $"{address.Host} is not an address of this machine",
                SocketError.AccessDenied => $"permission denied for port {address.Port}",
                _ => e.Message,
            };
            throw new TransportBindException($"Cannot listen on {address.Host}:{address.Port} for {address}: {reason}.", e) { Address = address };
        }

        var listener = new TcpListenerLoop(transport, address, socket, inbound);
        listener._accepting = Task.Run(listener.AcceptAsync);
        return listener;
    }

    public void Deliver(TransportEnvelope envelope)
    {
        try
        {
            _inbound(envelope);
            Interlocked.Increment(ref _transport.CounterSet.MessagesDelivered);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The bound system failed to take the envelope; the connection must not die of it.
            Interlocked.Increment(ref _transport.CounterSet.Undeliverable);
            _transport.Log.LogError(e, "Delivering {Message} to {Recipient} failed", envelope.Message.GetType().Name, envelope.Recipient);
        }
    }

    /// <summary>Closes the listening socket at once (a restart may bind the port again right away), then waits for the accept loop.</summary>
    public Task StopAsync()
    {
        _socket.Dispose();
        _stop.Cancel();
        return _accepting.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task AcceptAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. the peer reset before we accepted, or file descriptors ran out: keep listening.
                _transport.Log.LogWarning("Accept on {Address} failed: {Error}", Address, e.Message);
                continue;
            }

            _transport.StartInbound(this, accepted, token);
        }
    }

    /// <summary>
    /// A restarted process must get its port back although connections of its previous incarnation
    /// linger in TIME_WAIT. That is SO_REUSEADDR alone, set raw: .NET's ReuseAddress option also sets
    /// SO_REUSEPORT on Unix, which would let a second process listen on the same port unnoticed.
    /// </summary>
    private static void AllowRebindOverTimeWait(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddr, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            socket.SetRawSocketOption(BsdSolSocket, BsdSoReuseAddr, BitConverter.GetBytes(1));
        }
    }

    private static IPAddress Resolve(Address address)
    {
        if (address.Host is null || address.Port is null)
        {
            throw new ArgumentException($"The TCP transport needs an address with host and port (dct://name@host:port), not {address}.", nameof(address));
        }

        if (IPAddress.TryParse(address.Host, out var ip))
        {
            return ip;
        }

        try
        {
            var all = Dns.GetHostAddresses(address.Host);
            return Array.Find(all, a => a.AddressFamily == AddressFamily.InterNetwork) ?? all[0];
        }
        catch (Exception e) when (e is SocketException or IndexOutOfRangeException)
        {
            throw new TransportBindException($"Cannot listen for {address}: the host name '{address.Host}' does not resolve.", e) { Address = address };
        }
    }
}
