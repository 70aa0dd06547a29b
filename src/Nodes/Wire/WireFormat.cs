namespace Decentral.Nodes.Wire;

/// <summary>How vectors travel: exact doubles, or floats at half the bytes (about 7 significant digits).</summary>
public enum VectorEncoding : byte
{
    Float64 = 0,
    Float32 = 1,
}

/// <summary>Why a frame was not a valid protocol message.</summary>
public enum WireRejection
{
    /// <summary>Fewer bytes than the fixed header.</summary>
    TooShort,

    /// <summary>The type byte names no message of the closed set.</summary>
    UnknownType,

    UnsupportedVersion,

    UnknownEncoding,

    /// <summary>The reserved header byte is not zero.</summary>
    ReservedNotZero,

    /// <summary>Iteration below 1 (or above the configured number of iterations).</summary>
    BadIteration,

    /// <summary>A model message with a round, or a round message with round below 1 (or above the maximum).</summary>
    BadRound,

    /// <summary>A sender index outside 0…N−1.</summary>
    BadSender,

    /// <summary>The vector's dimension is not the configured one.</summary>
    DimensionMismatch,

    /// <summary>The byte count does not match header + dimension × value size.</summary>
    LengthMismatch,

    /// <summary>NaN or ±Infinity among the values (also: a double too large for the float32 format).</summary>
    NonFinite,

    /// <summary>Encoding only: the object is not a protocol message.</summary>
    UnsupportedMessage,
}

/// <summary>A protocol message could not be decoded (or encoded); <see cref="Reason"/> says why.</summary>
public sealed class WireFormatException : FormatException
{
    public WireFormatException()
        : this(WireRejection.TooShort, "Malformed protocol message.")
    {
    }

    public WireFormatException(string message)
        : this(WireRejection.TooShort, message)
    {
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WireFormatException(WireRejection reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public WireRejection Reason { get; }
}

/// <summary>What the codec expects of incoming messages and how it writes outgoing ones.</summary>
public sealed record ProtocolWireOptions
{
    /// <summary>The model dimension d every vector must have.</summary>
    public required int Dimension { get; init; }

    /// <summary>The encoding of messages this codec writes (it reads both).</summary>
    public VectorEncoding Encoding { get; init; } = VectorEncoding.Float64;

    /// <summary>Number of processes N: senders must lie in 0…N−1. Null: any non-negative sender.</summary>
    public int? ProcessCount { get; init; }

    /// <summary>Largest valid iteration (T). Null: any positive iteration.</summary>
    public int? MaxIteration { get; init; }

    /// <summary>Largest valid agreement round. Null: any positive round.</summary>
    public int? MaxRound { get; init; }

    /// <summary>The strictest options for a run of <paramref name="spec"/>: its dimension, process count, iterations and rounds.</summary>
    public static ProtocolWireOptions For(Runtime.ClusterRunSpec spec, VectorEncoding encoding = VectorEncoding.Float64)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ProtocolWireOptions
        {
            Dimension = spec.Training.Dimension,
            Encoding = encoding,
            ProcessCount = spec.Layout.N,
            MaxIteration = spec.Protocol.Iterations,
            MaxRound = spec.Protocol.Rounds + spec.Protocol.FinalRounds,
        };
    }

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimension, 1, nameof(Dimension));
        if (!Enum.IsDefined(Encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(Encoding), Encoding, "Unknown vector encoding.");
        }

        if (ProcessCount is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(ProcessCount));
        }

        if (MaxIteration is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(MaxIteration));
        }

        if (MaxRound is { } r)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(r, nameof(MaxRound));
        }
    }
}
