using System.Text;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon;

/// <summary>
/// A path through the object tree, e.g. <c>decentral.sgd."learning-rate"</c>: a list of keys.
/// Paths are parsed with the rules of HOCON path expressions (dots outside quotes separate keys).
/// </summary>
public sealed class HoconPath : IEquatable<HoconPath>
{
    private readonly string[] _elements;

    private HoconPath(string[] elements) => _elements = elements;

    /// <summary>The empty path (the root object).</summary>
    public static HoconPath Root { get; } = new([]);

    /// <summary>The keys of the path, outermost first.</summary>
    public IReadOnlyList<string> Elements => _elements;

    public int Length => _elements.Length;

    public bool IsRoot => _elements.Length == 0;

    /// <summary>A path from keys taken literally (no dot splitting).</summary>
    public static HoconPath FromElements(params IEnumerable<string> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var array = elements.ToArray();
        foreach (var e in array)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(elements));
        }

        return new HoconPath(array);
    }

    /// <summary>
    /// Paths parsed recently: every getter parses its path expression, and a settings reader asks for the
    /// same hundred keys each time, so lexing them again took most of its time. Bounded by
    /// <see cref="MaxCachedPaths"/> expressions of at most <see cref="MaxCachedLength"/> characters.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HoconPath> Parsed = new(StringComparer.Ordinal);

    private const int MaxCachedPaths = 1024;
    private const int MaxCachedLength = 256;

    /// <summary>Parses a path expression such as <c>a.b."c.d"</c>.</summary>
    /// <exception cref="ArgumentException">The expression is empty or malformed.</exception>
    public static HoconPath Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (Parsed.TryGetValue(expression, out var known))
        {
            return known;
        }

        var path = ParseExpression(expression);
        if (expression.Length <= MaxCachedLength)
        {
            if (Parsed.Count >= MaxCachedPaths)
            {
                Parsed.Clear();
            }

            Parsed.TryAdd(expression, path);
        }

        return path;
    }

    private static HoconPath ParseExpression(string expression)
    {
        try
        {
            var tokens = Lexer.Tokenize(expression, "path");
            var parts = tokens.Where(t => t.Kind != TokenKind.End).ToList();
            while (parts.Count > 0 && parts[0].Kind == TokenKind.Whitespace)
            {
                parts.RemoveAt(0);
            }

            while (parts.Count > 0 && parts[^1].Kind == TokenKind.Whitespace)
            {
                parts.RemoveAt(parts.Count - 1);
            }

            var bad = parts.FirstOrDefault(t => !t.IsSimpleValue && t.Kind != TokenKind.Whitespace);
            if (bad is not null || parts.Count == 0)
            {
                throw new ArgumentException(
                    $"'{expression}' is not a path expression" + (bad is null ? "" : $": unexpected {bad.Describe()}"),
                    nameof(expression));
            }

            return FromTokens(parts);
        }
        catch (HoconException e)
        {
            throw new ArgumentException($"'{expression}' is not a valid path expression: {e.Reason}", nameof(expression), e);
        }
    }

    /// <summary>Builds a path from key or substitution tokens: dots outside quoted strings separate keys.</summary>
    internal static HoconPath FromTokens(IReadOnlyList<Token> tokens)
    {
        var elements = new List<string>();
        var current = new StringBuilder();
        var hasContent = false;
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.Quoted)
            {
                current.Append(token.Text);
                hasContent = true;
                continue;
            }

            foreach (var c in token.Text)
            {
                if (c == '.' && token.Kind != TokenKind.Whitespace)
                {
                    if (!hasContent)
                    {
                        throw EmptyElement(tokens);
                    }

                    elements.Add(current.ToString());
                    current.Clear();
                    hasContent = false;
                }
                else
                {
                    current.Append(c);
                    hasContent = true;
                }
            }
        }

        if (!hasContent)
        {
            throw EmptyElement(tokens);
        }

        elements.Add(current.ToString());
        return new HoconPath([.. elements]);
    }

    private static HoconParseException EmptyElement(IReadOnlyList<Token> tokens)
    {
        var written = string.Concat(tokens.Select(t => t.Kind == TokenKind.Quoted ? Quote(t.Text) : t.Text));
        return new HoconParseException(
            $"invalid path '{written}': a path may not start or end with '.' or contain '..' (quote an empty key as \"\")",
            tokens[0].Origin);
    }

    public HoconPath Append(string key) => new([.. _elements, key]);

    public HoconPath Append(HoconPath other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsRoot ? this : IsRoot ? other : new HoconPath([.. _elements, .. other._elements]);
    }

    /// <summary>The first <paramref name="count"/> keys.</summary>
    public HoconPath Prefix(int count) => new(_elements[..count]);

    /// <summary>True when this path equals <paramref name="other"/> or lies inside it.</summary>
    public bool StartsWith(HoconPath other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other._elements.Length <= _elements.Length
            && _elements.AsSpan(0, other._elements.Length).SequenceEqual(other._elements);
    }

    /// <summary>The path as a path expression, quoting keys that need it.</summary>
    public override string ToString() => string.Join('.', _elements.Select(RenderKey));

    /// <summary>A key as it must be written in a path expression: bare when safe, quoted otherwise.</summary>
    public static string RenderKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return NeedsQuotes(key) ? Quote(key) : key;
    }

    private static bool NeedsQuotes(string key)
    {
        if (key.Length == 0 || key is "include" or "true" or "false" or "null")
        {
            return true;
        }

        if (key.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (char.IsAsciiDigit(key[0]) || key[0] == '-')
        {
            return true;
        }

        return key.Any(c => c is '.' or '/' || Lexer.IsWhitespace(c) || Lexer.IsForbidden(c));
    }

    /// <summary>A JSON string literal for <paramref name="text"/>.</summary>
    internal static string Quote(string text) => AppendQuoted(new StringBuilder(text.Length + 2), text).ToString();

    /// <summary>Appends <paramref name="text"/> as a JSON string literal.</summary>
    internal static StringBuilder AppendQuoted(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u00").Append(HexDigits[c >> 4]).Append(HexDigits[c & 0xf]);
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"');
    }

    /// <summary>The length of <paramref name="text"/> as a JSON string literal (<see cref="AppendQuoted"/>).</summary>
    internal static long QuotedLength(string text)
    {
        long length = 2;
        foreach (var c in text)
        {
            length += c switch
            {
                '"' or '\\' or '\n' or '\r' or '\t' or '\b' or '\f' => 2,
                < ' ' => 6,
                _ => 1,
            };
        }

        return length;
    }

    private const string HexDigits = "0123456789abcdef";

    public bool Equals(HoconPath? other) => other is not null && _elements.AsSpan().SequenceEqual(other._elements);

    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in _elements)
        {
            hash.Add(e, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
