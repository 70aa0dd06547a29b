namespace Decentral.Actors;

/// <summary>
/// Where an actor system lives: <c>dct://c1</c> in-process, <c>dct://c1@host:port</c> once a
/// TCP transport binds it. Two systems with equal addresses are the same process as far as the
/// transport and the fault layer are concerned.
/// </summary>
public sealed record Address
{
    public const string DefaultProtocol = "dct";

    public Address(string system, string? host = null, int? port = null, string protocol = DefaultProtocol)
    {
        ActorPath.ValidateName(system, nameof(system));
        ArgumentException.ThrowIfNullOrWhiteSpace(protocol);
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port lies in 0..65535.");
        }

        if (port is not null && string.IsNullOrEmpty(host))
        {
            throw new ArgumentException("A port needs a host.", nameof(port));
        }

        Protocol = protocol;
        System = system;
        Host = host;
        Port = port;
        _text = host is null ? $"{protocol}://{system}" : $"{protocol}://{system}@{host}:{port}";
    }

    private readonly string _text;

    public string Protocol { get; }

    public string System { get; }

    public string? Host { get; }

    public int? Port { get; }

    public override string ToString() => _text;

    /// <summary>Parses <c>proto://system</c> or <c>proto://system@host:port</c>.</summary>
    public static Address Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var address))
        {
            throw new ArgumentException($"'{text}' is not an actor system address (expected dct://name or dct://name@host:port).", nameof(text));
        }

        return address;
    }

    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Address? address)
    {
        address = null;
        var sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            return false;
        }

        var protocol = text[..sep];
        var rest = text[(sep + 3)..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        try
        {
            if (at < 0)
            {
                address = new Address(rest, protocol: protocol);
                return true;
            }

            var hostPort = rest[(at + 1)..];
            var colon = hostPort.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                return false;
            }

            address = new Address(rest[..at], hostPort[..colon], port, protocol);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
