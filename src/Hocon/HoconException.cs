namespace Decentral.Hocon;

/// <summary>Base of every error the HOCON library reports; the message always says where.</summary>
public class HoconException : Exception
{
    /// <summary>An error at <paramref name="origin"/>; the message is prefixed with "file:line:column: ".</summary>
    public HoconException(string message, ConfigOrigin? origin = null, Exception? inner = null)
        : this(origin is null ? message : $"{origin}: {message}", message, origin, inner)
    {
    }

    /// <summary>For subclasses that compose the full message themselves.</summary>
    protected HoconException(string fullMessage, string reason, ConfigOrigin? origin, Exception? inner)
        : base(fullMessage, inner)
    {
        Origin = origin;
        Reason = reason;
    }

    /// <summary>Where the problem was written, when known.</summary>
    public ConfigOrigin? Origin { get; }

    /// <summary>The message without the origin prefix.</summary>
    public string Reason { get; }
}

/// <summary>Malformed text or an include that cannot be honoured: the origin is the offending token.</summary>
public sealed class HoconParseException(string message, ConfigOrigin origin, Exception? inner = null)
    : HoconException(message, origin, inner);

/// <summary>A substitution that cannot be resolved (undefined, or part of a cycle).</summary>
public sealed class HoconResolveException(string message, ConfigOrigin origin, bool isCycle = false)
    : HoconException(message, origin)
{
    /// <summary>True when the substitution is part of a cycle rather than simply undefined.</summary>
    public bool IsCycle { get; } = isCycle;
}

/// <summary>A getter asked for a path that has no value (or whose value is null).</summary>
public sealed class HoconMissingException(string path, string message, ConfigOrigin? origin = null)
    : HoconException($"{path}: {message}" + (origin is null ? "" : $" ({origin})"), message, origin, null)
{
    /// <summary>The full path that was asked for.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// A getter found a value of the wrong type or with an invalid format. The message reads
/// "path: expected ..., found ... (file:line:column)" where the origin is the value's.
/// </summary>
public sealed class HoconWrongTypeException(string path, string message, ConfigOrigin? origin = null)
    : HoconException($"{path}: {message}" + (origin is null ? "" : $" ({origin})"), message, origin, null)
{
    /// <summary>The full path that was asked for.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// A value, or its rendering, exceeds one of the <see cref="HoconLimits"/>. The message reads
/// "file:line:column: path: ..." where the origin is where the offending value was written and
/// <see cref="Path"/> the key it is (or is being built) for; "" is the configuration's root.
/// </summary>
public sealed class HoconLimitException(string path, string message, ConfigOrigin? origin)
    : HoconException(
        (origin is null ? "" : $"{origin}: ") + (path.Length == 0 ? "the configuration as a whole: " : $"{path}: ") + message, message, origin, null)
{
    /// <summary>The full path of the key whose value is too large ("" for the root).</summary>
    public string Path { get; } = path;
}
