using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Decentral.Agreement;
using Decentral.Remote;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Wire;
using Xunit.Abstractions;

namespace Decentral.Cluster.Tests;

/// <summary>
/// Every message a Decentral actor receives — found by walking the IL of the Decentral assemblies for
/// <c>Receive&lt;T&gt;</c> calls, plus what the inbox forwarders carry — resolves to the protocol's binary
/// serializer or to Hyperion in a `decentral node` actor system, never to Akka's JSON (Newtonsoft)
/// fallback; Hyperion accepts only the acknowledgements from peers.
/// </summary>
public sealed class SerializationBindingTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// The assemblies whose actors may live in a process on Akka.Remote. Decentral.Simulation's systems are
    /// virtual (provider local, no transport): nothing of them can cross a process boundary.
    /// </summary>
    private static readonly Assembly[] RemoteCapable =
    [
        typeof(ProtocolMessage).Assembly,   // Decentral.Nodes
        typeof(RemoteRuntimes).Assembly,    // Decentral.Host (decentral)
        typeof(ProcessId).Assembly,         // Decentral.Agreement
    ];

    private readonly ActorSystem _system = new RealTimeHost(
        RemoteRuntimes.Hocon("127.0.0.1", 0, new ProtocolWireOptions { Dimension = 4, ProcessCount = 9 }, RemoteTuning.Default, faultAdapters: true)
        + ClusterMembership.Hocon("c1", TimeSpan.FromSeconds(10))).CreateSystem("c1");

    [Fact]
    public void No_message_type_that_can_cross_a_process_boundary_resolves_to_the_json_serializer()
    {
        var received = RemoteCapable.SelectMany(ReceivedTypes).Distinct().ToList();
        output.WriteLine("Receive<T> in the Decentral assemblies: " + string.Join(", ", received.Select(t => t.Name)));

        // The scan must see the actors we know of, or it scans nothing.
        Assert.Contains(typeof(ProtocolMessage), received);
        Assert.Contains(typeof(ProtocolSignal), received);
        Assert.Contains(typeof(Delivered), received);

        // Decentral's message types, their concrete subtypes, and what the inbox forwarders carry (the
        // protocol messages and the acknowledgements they send back).
        var decentral = received.Where(t => RemoteCapable.Contains(t.Assembly)).ToList();
        var messages = decentral
            .SelectMany(t => RemoteCapable.SelectMany(a => a.GetTypes()).Where(c => t.IsAssignableFrom(c) && !c.IsAbstract).Append(t))
            .Concat([typeof(ModelMessage), typeof(RoundMessage), typeof(Delivered)])
            .Distinct()
            .ToList();
        var json = typeof(NewtonSoftJsonSerializer);
        foreach (var type in messages)
        {
            var serializer = type.IsAbstract ? _system.Serialization.FindSerializerForType(type) : _system.Serialization.FindSerializerFor(RuntimeHelpers.GetUninitializedObject(type));
            output.WriteLine($"{type.FullName} → {serializer.GetType().Name}");
            Assert.False(json.IsInstanceOfType(serializer), $"{type.FullName} would cross Akka.Remote as JSON (Newtonsoft)");
            var expected = typeof(ProtocolMessage).IsAssignableFrom(type) ? typeof(ProtocolSerializer) : typeof(HyperionSerializer);
            Assert.IsAssignableFrom(expected, serializer);
        }

        // Types of Akka's own (event-stream subscriptions: remoting lifecycle, cluster events) are local only.
        output.WriteLine("not Decentral's (local event-stream messages): " + string.Join(", ", received.Except(decentral).Select(t => t.FullName)));
    }

    [Fact]
    public void Hyperion_carries_acknowledgements_and_refuses_every_other_type_from_a_peer()
    {
        var ack = new Delivered(3, 4, 17, 2);
        var hyperion = _system.Serialization.FindSerializerFor(ack);
        Assert.IsAssignableFrom<HyperionSerializer>(hyperion);
        Assert.Equal(ack, hyperion.FromBinary(hyperion.ToBinary(ack), typeof(Delivered)));

        // A node's internal signal is bound to Hyperion (never JSON) but a peer cannot inject it.
        var signal = new ComputeDone(5);
        var bytes = _system.Serialization.FindSerializerFor(signal).ToBinary(signal);
        var refused = Record.Exception(() => hyperion.FromBinary(bytes, typeof(ComputeDone)));
        output.WriteLine($"ComputeDone from a peer: {refused?.GetType().Name}: {refused?.Message}");
        Assert.IsType<SerializationException>(refused);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    /// <summary>
    /// Every T of a <c>Receive&lt;T&gt;</c>/<c>ReceiveAsync&lt;T&gt;</c> call in <paramref name="assembly"/>'s
    /// IL, and every type an untyped actor's <c>OnReceive</c> tests a message for (<c>isinst</c>).
    /// </summary>
    private static IEnumerable<Type> ReceivedTypes(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            var methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
            foreach (var method in methods)
            {
                var onReceive = method.Name == "OnReceive" && typeof(ActorBase).IsAssignableFrom(type);
                foreach (var (op, member) in Operands(method))
                {
                    if (member is MethodInfo { IsGenericMethod: true } m && m.Name is "Receive" or "ReceiveAsync"
                        && m.DeclaringType is { } declaring && typeof(ActorBase).IsAssignableFrom(declaring))
                    {
                        yield return m.GetGenericArguments()[0];
                    }
                    else if (onReceive && op == OpCodes.Isinst && member is Type tested)
                    {
                        yield return tested;
                    }
                }
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The methods called and the types tested in <paramref name="method"/>'s IL, with their opcodes.</summary>
    private static IEnumerable<(OpCode Op, MemberInfo Member)> Operands(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException)
        {
            il = null;
        }

        if (il is null)
        {
            yield break;
        }

        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                yield break;
            }

            i += op.Size;
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineType)
            {
                var token = BitConverter.ToInt32(il, i);
                MemberInfo? member = null;
                try
                {
                    member = op.OperandType == OperandType.InlineMethod
                        ? method.Module.ResolveMethod(token, typeArgs, methodArgs)
                        : method.Module.ResolveType(token, typeArgs, methodArgs);
                }
                catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException)
                {
                }

                if (member is not null)
                {
                    yield return (op, member);
                }
            }

            i += OperandSize(op, il, i);
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
