namespace Decentral.Hocon.Parsing;

/// <summary>
/// The unresolved tree a parse produces. Every object field keeps all of its definitions in the
/// order written (its "merge stack"), because which ones survive, and what a self-referential
/// substitution sees, is only decided at resolution time.
/// </summary>
internal abstract class AstNode(ConfigOrigin origin)
{
    public ConfigOrigin Origin { get; } = origin;
}

/// <summary>An object literal: each key maps to its definitions, oldest first.</summary>
internal sealed class AstObject(ConfigOrigin origin) : AstNode(origin)
{
    public OrderedDictionary<string, List<AstNode>> Fields { get; } = new(StringComparer.Ordinal);

    public void Add(string key, AstNode definition)
    {
        if (!Fields.TryGetValue(key, out var definitions))
        {
            definitions = [];
            Fields.Add(key, definitions);
        }

        definitions.Add(definition);
    }

    public void AddRange(string key, IEnumerable<AstNode> definitions)
    {
        foreach (var d in definitions)
        {
            Add(key, d);
        }
    }
}

/// <summary>An array literal; elements may still contain substitutions.</summary>
internal sealed class AstArray(ConfigOrigin origin, List<AstNode> elements) : AstNode(origin)
{
    public List<AstNode> Elements { get; } = elements;
}

/// <summary>An already resolved value: a scalar from the text, or a tree from a resolved config.</summary>
internal sealed class AstValue(HoconValue value) : AstNode(value.Origin)
{
    public HoconValue Value { get; } = value;
}

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. Substitutions from an included file also remember the path
/// of the object the file was included into, tried first (HOCON.md "include semantics: substitution").
/// </summary>
internal sealed class AstSubstitution(ConfigOrigin origin, string text, HoconPath path, bool optional, HoconPath? includePrefix)
    : AstNode(origin)
{
    public string Text { get; } = text;

    public HoconPath Path { get; } = path;

    public bool Optional { get; } = optional;

    public HoconPath? IncludePrefix { get; } = includePrefix;
}

/// <summary>Whitespace between two pieces of a concatenation (kept only between simple values).</summary>
internal sealed class AstWhitespace(ConfigOrigin origin, string text) : AstNode(origin)
{
    public string Text { get; } = text;
}

/// <summary>A value concatenation containing at least one substitution, array or object.</summary>
internal sealed class AstConcat(ConfigOrigin origin, List<AstNode> pieces) : AstNode(origin)
{
    public List<AstNode> Pieces { get; } = pieces;
}
