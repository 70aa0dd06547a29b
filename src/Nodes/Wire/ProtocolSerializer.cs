using System.Globalization;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;

namespace Decentral.Nodes.Wire;

/// <summary>
/// Akka's serializer for <see cref="ProtocolMessage"/>s (models and agreement values), wrapping
/// <see cref="ProtocolWireCodec"/>: what crosses Akka.Remote between clusters is the codec's versioned
/// binary format, never Akka's JSON fallback. Its options come from
/// <c>akka.actor.serialization-settings.decentral-protocol</c> (<see cref="Settings"/> gives the whole
/// binding). A message that fails validation (wrong dimension, NaN/∞, unknown sender, bad stage, …)
/// throws a <see cref="SerializationException"/> naming the reason: Akka.Remote logs it and drops the
/// message, and the codec counts it (<see cref="ProtocolWireCodec.Rejections"/>). One instance per
/// actor system; thread-safe.
/// </summary>
public sealed class ProtocolSerializer : SerializerWithStringManifest
{
    /// <summary>Akka's serializer id of this format (ids below 100 are Akka's own).</summary>
    public const int SerializerId = 7411;

    /// <summary>The name the serializer is bound under in <c>akka.actor.serializers</c>.</summary>
    public const string Name = "decentral-protocol";

    public const string ModelManifest = "M";

    public const string RoundManifest = "R";

    private const string SettingsPath = "akka.actor.serialization-settings." + Name;

    private long messagesEncoded;
    private long bytesEncoded;
    private long messagesDecoded;
    private long bytesDecoded;
    private long encodeFailures;

    /// <summary>Reads its options from <c>akka.actor.serialization-settings.decentral-protocol</c> of the system.</summary>
    public ProtocolSerializer(ExtendedActorSystem system)
        : this(system, (system ?? throw new ArgumentNullException(nameof(system))).Settings.Config.GetConfig(SettingsPath))
    {
    }

    /// <summary>Akka passes the serializer's own settings section when the configuration has one.</summary>
    public ProtocolSerializer(ExtendedActorSystem system, Config config)
        : base(system)
    {
        Codec = new ProtocolWireCodec(ReadOptions(config));
    }

    public override int Identifier => SerializerId;

    /// <summary>The codec this system encodes and validates with (its <see cref="ProtocolWireCodec.Rejections"/> count what was dropped).</summary>
    public ProtocolWireCodec Codec { get; }

    /// <summary>What went through this serializer so far.</summary>
    public WireCounters Counters => new(
        Interlocked.Read(ref messagesEncoded),
        Interlocked.Read(ref bytesEncoded),
        Interlocked.Read(ref messagesDecoded),
        Interlocked.Read(ref bytesDecoded),
        Interlocked.Read(ref encodeFailures),
        Codec.TotalRejections,
        Codec.Rejections.ToDictionary(r => r.Key.ToString(), r => r.Value, StringComparer.Ordinal));

    /// <summary>The serializer of <paramref name="system"/>'s protocol messages (the system must bind them with <see cref="Settings"/>).</summary>
    public static ProtocolSerializer Of(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.Serialization.FindSerializerForType(typeof(ModelMessage)) as ProtocolSerializer
            ?? throw new InvalidOperationException($"Actor system {system.Name} does not bind protocol messages to {nameof(ProtocolSerializer)}.");
    }

    /// <summary>
    /// The settings that register this serializer, bind every <see cref="ProtocolMessage"/> to it (the
    /// embedded <c>akka-protocol-serializer.conf</c>) and give it <paramref name="options"/> (computed);
    /// add them to every system that sends or receives models remotely.
    /// </summary>
    public static AkkaSettings Settings(ProtocolWireOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var settings = AkkaSettings.Empty.WithResource(typeof(ProtocolSerializer).Assembly, "akka-protocol-serializer.conf")
            .Set(SettingsPath + ".dimension", options.Dimension)
            .Set(SettingsPath + ".encoding", options.Encoding == VectorEncoding.Float32 ? "float32" : "float64");
        if (options.ProcessCount is { } n)
        {
            settings = settings.Set(SettingsPath + ".processes", n);
        }

        if (options.MaxIteration is { } t)
        {
            settings = settings.Set(SettingsPath + ".max-iteration", t);
        }

        return options.MaxRound is { } r ? settings.Set(SettingsPath + ".max-round", r) : settings;
    }

    public override string Manifest(object o) => o switch
    {
        ModelMessage => ModelManifest,
        RoundMessage => RoundManifest,
        _ => throw new ArgumentException($"{o?.GetType().Name ?? "null"} is not a protocol message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        byte[] bytes;
        try
        {
            bytes = Codec.Encode(obj);
        }
        catch (WireFormatException e)
        {
            Interlocked.Increment(ref encodeFailures);
            throw new SerializationException("Cannot encode protocol message: " + e.Message, e);
        }

        Interlocked.Increment(ref messagesEncoded);
        Interlocked.Add(ref bytesEncoded, bytes.Length);
        return bytes;
    }

    /// <exception cref="SerializationException">The bytes are not a valid protocol message (counted by the codec).</exception>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (!Codec.TryDecode(bytes, out var message, out _, out var detail))
        {
            throw new SerializationException(detail);
        }

        Interlocked.Increment(ref messagesDecoded);
        Interlocked.Add(ref bytesDecoded, bytes.Length);
        return message;
    }

    private static ProtocolWireOptions ReadOptions(Config? config)
    {
        if (config is null || config.IsEmpty || !config.HasPath("dimension"))
        {
            throw new ConfigurationException(
                $"{nameof(ProtocolSerializer)} needs {SettingsPath}.dimension (add {nameof(ProtocolSerializer)}.{nameof(Settings)} to the system's settings).");
        }

        var encoding = config.GetString("encoding", "float64") switch
        {
            "float64" => VectorEncoding.Float64,
            "float32" => VectorEncoding.Float32,
            var other => throw new ConfigurationException($"{SettingsPath}.encoding: expected float64 or float32, found '{other}'."),
        };
        int? Optional(string key) => config.HasPath(key) ? config.GetInt(key) : null;
        return new ProtocolWireOptions
        {
            Dimension = config.GetInt("dimension"),
            Encoding = encoding,
            ProcessCount = Optional("processes"),
            MaxIteration = Optional("max-iteration"),
            MaxRound = Optional("max-round"),
        };
    }
}

/// <summary>
/// What one system's <see cref="ProtocolSerializer"/> did: messages and bytes it encoded for remote
/// peers and decoded from them, encodings that failed (e.g. a value too large for float32; not sent),
/// and received messages it rejected, in total and per <see cref="WireRejection"/> reason.
/// </summary>
public sealed record WireCounters(
    long MessagesEncoded,
    long BytesEncoded,
    long MessagesDecoded,
    long BytesDecoded,
    long EncodeFailures,
    long Rejected,
    IReadOnlyDictionary<string, long> Rejections);
