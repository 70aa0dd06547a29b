namespace Decentral.Hocon;

/// <summary>The JSON type of a resolved value.</summary>
public enum HoconValueType
{
    Object,
    List,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A fully resolved value: an object, a list or a scalar, remembering where it was written.</summary>
public abstract class HoconValue
{
    private protected HoconValue(ConfigOrigin origin) => Origin = origin;

    /// <summary>The JSON type of this value.</summary>
    public abstract HoconValueType Type { get; }

    /// <summary>Where this value was written.</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>
    /// Levels of objects and lists in this value: 0 for a scalar, 1 for a list of scalars. The resolver
    /// keeps it within <see cref="HoconParser.MaxNestingDepth"/>, which bounds every recursion over the tree.
    /// </summary>
    internal virtual int Depth => 0;

    /// <summary>
    /// List elements and object fields in this value, those of a value that appears in several places
    /// (substitutions share values) counted once per place: what rendering and flattening it visit.
    /// The resolver keeps it within <see cref="HoconLimits.MaxElements"/>.
    /// </summary>
    internal virtual long Elements => 0;

    /// <summary>Characters of the strings, numbers and keys in this value, counted like <see cref="Elements"/>.</summary>
    internal virtual long Characters => 0;

    /// <summary>Levels of a container holding <paramref name="children"/>.</summary>
    private protected static int ContainerDepth(IEnumerable<HoconValue> children)
    {
        var deepest = 0;
        foreach (var child in children)
        {
            deepest = Math.Max(deepest, child.Depth);
        }

        return deepest + 1;
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/> for non-negative counts, stopping at long.MaxValue instead of wrapping.</summary>
    private protected static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>A short description for error messages, e.g. <c>string "many"</c> or <c>object</c>.</summary>
    public abstract string Describe();

    /// <summary>The lower-case type name used in messages ("string", "number", ...).</summary>
    public static string TypeName(HoconValueType type) => type switch
    {
        HoconValueType.Object => "object",
        HoconValueType.List => "list",
        HoconValueType.String => "string",
        HoconValueType.Number => "number",
        HoconValueType.Boolean => "boolean",
        _ => "null",
    };
}
