namespace Decentral.Actors;

/// <summary>
/// The location of an actor, e.g. <c>dct://c1/user/node-1</c>. Equality is by text, so a path names
/// every incarnation of the actor at that place (a restarted actor keeps its path).
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private readonly string _text;
    private readonly string[] _elements;

    public ActorPath(Address address, IEnumerable<string> elements)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(elements);
        Address = address;
        _elements = elements.ToArray();
        foreach (var e in _elements)
        {
            ValidateName(e, nameof(elements));
        }

        _text = _elements.Length == 0 ? address + "/" : address + "/" + string.Join('/', _elements);
        StableHash = Fnv.Hash(_text);
    }

    public Address Address { get; }

    public IReadOnlyList<string> Elements => _elements;

    /// <summary>The last element ("node-1"), or "" for the root.</summary>
    public string Name => _elements.Length == 0 ? string.Empty : _elements[^1];

    /// <summary>A hash of the text that is the same in every process (string.GetHashCode is not).</summary>
    public ulong StableHash { get; }

    public ActorPath Child(string name) => new(Address, _elements.Append(name));

    public static ActorPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sep = text.IndexOf("://", StringComparison.Ordinal);
        var slash = sep < 0 ? -1 : text.IndexOf('/', sep + 3);
        var addressText = slash < 0 ? text : text[..slash];
        if (!Address.TryParse(addressText, out var address))
        {
            throw new ArgumentException($"'{text}' is not an actor path (expected e.g. dct://c1/user/node-1).", nameof(text));
        }

        var elements = slash < 0 ? [] : text[(slash + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return new ActorPath(address, elements);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"'{text}' is not an actor path: {ex.Message}", nameof(text), ex);
        }
    }

    /// <summary>Actor and system names: non-empty, no '/', '@', ':' or whitespace.</summary>
    public static void ValidateName(string name, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (name.Length == 0)
        {
            throw new ArgumentException("A name must not be empty.", parameterName);
        }

        foreach (var c in name)
        {
            if (c is '/' or '@' or ':' or '#' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new ArgumentException($"The name '{name}' contains '{c}', which names may not contain.", parameterName);
            }
        }
    }

    public bool Equals(ActorPath? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    public override int GetHashCode() => (int)StableHash;

    public override string ToString() => _text;

    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);
}

/// <summary>FNV-1a, 64 bit: stable across processes and runs, for traces and derived seeds.</summary>
internal static class Fnv
{
    public const ulong Offset = 14695981039346656037UL;
    public const ulong Prime = 1099511628211UL;

    public static ulong Hash(string text) => Add(Offset, text);

    public static ulong Add(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }

    public static ulong Add(ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (value & 0xFF)) * Prime;
            value >>= 8;
        }

        return hash;
    }
}
