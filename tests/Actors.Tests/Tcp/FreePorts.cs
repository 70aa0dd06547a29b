using Decentral.TestKit;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>Distinct loopback ports free at the moment of asking (<see cref="LoopbackPorts"/>).</summary>
internal static class FreePorts
{
    public static int Next() => LoopbackPorts.Free(1)[0];

    public static Address Loopback(string system) => new(system, "127.0.0.1", Next());
}
