using System.Globalization;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;

namespace Decentral.Remote;

/// <summary>
/// Which serializer each Decentral message takes when it crosses a process boundary, so that none falls
/// back to Akka 1.5's JSON serializer (Newtonsoft, bound to <c>System.Object</c>: about 100× slower than
/// binary and polymorphic). Models and agreement values (<see cref="ProtocolMessage"/>) go through the
/// project's own <c>ProtocolSerializer</c>; every other message an actor of these assemblies receives is
/// bound by type to Hyperion. Hyperion refuses Akka's list of unsafe types, and
/// <see cref="AcceptingHyperionSerializer"/> hands on nothing but the types in <see cref="HyperionAccepted"/>:
/// a peer can send an outbox its acknowledgements, but cannot inject a node's internal signals (compute
/// done, resend tick) or anything else. (Hyperion's own <c>allowed-types</c> cannot be used: 0.12 checks
/// it against full assembly-qualified names when serializing and so refuses every type it lists.)
/// </summary>
public static class RemoteSerialization
{
    /// <summary>Akka's name of the Hyperion serializer.</summary>
    public const string HyperionName = "hyperion";

    /// <summary>The embedded resource that binds every type of <see cref="HyperionBound"/> to Hyperion.</summary>
    public const string ResourceName = "akka-hyperion.conf";

    /// <summary>
    /// The message types (and bases) bound to Hyperion: everything a Decentral actor receives except the
    /// protocol's models, as <c>akka-hyperion.conf</c> lists them. A test walks every <c>Receive&lt;T&gt;</c>
    /// of the Decentral assemblies and fails when a type is missing there.
    /// </summary>
    public static IReadOnlyList<Type> HyperionBound => Bound.Value;

    /// <summary>What Hyperion deserializes from a peer: the outbox acknowledgements only.</summary>
    public static IReadOnlyList<Type> HyperionAccepted { get; } = [typeof(Delivered)];

    private static readonly Lazy<IReadOnlyList<Type>> Bound = new(() =>
        [.. Settings().Resolve().GetObject("akka.actor.serialization-bindings")
            .Where(b => b.Value is Decentral.Hocon.HoconScalar { Text: HyperionName })
            .Select(b => Type.GetType(b.Key, throwOnError: true)!)]);

    /// <summary>The settings that register Hyperion and bind <see cref="HyperionBound"/> to it (<c>akka-hyperion.conf</c>).</summary>
    public static AkkaSettings Settings() => AkkaSettings.Empty.WithResource(typeof(RemoteSerialization).Assembly, ResourceName);
}

/// <summary>
/// Akka's Hyperion serializer (same identifier, so peers interoperate) that returns only the types of
/// <see cref="RemoteSerialization.HyperionAccepted"/> from received bytes; anything else is a
/// <see cref="SerializationException"/> (Akka.Remote logs and drops the message). Hyperion's deny list of
/// unsafe types still applies while it reads.
/// </summary>
public sealed class AcceptingHyperionSerializer : HyperionSerializer
{
    private static readonly HashSet<Type> Accepted = [.. RemoteSerialization.HyperionAccepted];

    public AcceptingHyperionSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public AcceptingHyperionSerializer(ExtendedActorSystem system, Config config)
        : base(system, config)
    {
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        var message = base.FromBinary(bytes, type);
        return message is not null && Accepted.Contains(message.GetType())
            ? message
            : throw new SerializationException($"Refused a {message?.GetType().FullName ?? "null"} from a peer: only {string.Join(", ", Accepted.Select(t => t.Name))} may arrive through Hyperion.");
    }
}
