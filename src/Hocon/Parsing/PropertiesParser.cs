using System.Globalization;
using System.Text;

namespace Decentral.Hocon.Parsing;

/// <summary>
/// Java .properties files, mapped to HOCON as HOCON.md describes: keys split on every '.'
/// (keeping empty elements), values always strings, and an object wins over a string at the same key.
/// </summary>
internal static class PropertiesParser
{
    private sealed class Node(ConfigOrigin origin)
    {
        public ConfigOrigin Origin { get; set; } = origin;

        public OrderedDictionary<string, Node>? Children { get; set; }

        public string? Value { get; set; }
    }

    /// <param name="rootDepth">The nesting level of the object the file is included into (see <see cref="HoconParser.MaxNestingDepth"/>).</param>
    public static AstObject Parse(string text, string source, int rootDepth)
    {
        var root = new Node(new ConfigOrigin(source, 1, 1)) { Children = new(StringComparer.Ordinal) };
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimStart();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            // A line ending in an odd number of backslashes continues on the next line.
            while (EndsWithContinuation(line) && i + 1 < lines.Length)
            {
                line = line[..^1] + lines[++i].TrimStart();
            }

            var (key, value) = Split(line);
            var path = key.Split('.');
            var origin = new ConfigOrigin(source, lineNumber, 1);
            if (rootDepth + path.Length - 1 > HoconParser.MaxNestingDepth)
            {
                // Each '.' nests one object deeper, and ToAst recurses once per level.
                throw ParseDepth.TooDeep(origin, $" (the key has {path.Length} path elements)");
            }

            Insert(root, path, value, origin);
        }

        return ToAst(root);
    }

    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var j = line.Length - 1; j >= 0 && line[j] == '\\'; j--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private static (string Key, string Value) Split(string line)
    {
        var key = new StringBuilder();
        var i = 0;
        while (i < line.Length && line[i] is not ('=' or ':') && !char.IsWhiteSpace(line[i]))
        {
            i = Unescape(line, i, key);
        }

        while (i < line.Length && char.IsWhiteSpace(line[i]))
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }
        }

        var value = new StringBuilder();
        while (i < line.Length)
        {
            i = Unescape(line, i, value);
        }

        return (key.ToString(), value.ToString());
    }

    private static int Unescape(string line, int i, StringBuilder into)
    {
        if (line[i] != '\\' || i + 1 >= line.Length)
        {
            into.Append(line[i]);
            return i + 1;
        }

        var c = line[i + 1];
        if (c == 'u' && i + 6 <= line.Length
            && int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            into.Append((char)code);
            return i + 6;
        }

        into.Append(c switch { 't' => '\t', 'n' => '\n', 'r' => '\r', 'f' => '\f', _ => c });
        return i + 2;
    }

    private static void Insert(Node root, string[] path, string value, ConfigOrigin origin)
    {
        var node = root;
        for (var i = 0; i < path.Length; i++)
        {
            node.Children ??= new(StringComparer.Ordinal);
            node.Value = null; // an object wins over a string at the same path
            if (!node.Children.TryGetValue(path[i], out var child))
            {
                child = new Node(origin);
                node.Children.Add(path[i], child);
            }

            node = child;
        }

        if (node.Children is null)
        {
            node.Value = value;
            node.Origin = origin;
        }
    }

    private static AstObject ToAst(Node node)
    {
        var result = new AstObject(node.Origin);
        foreach (var (key, child) in node.Children!)
        {
            result.Add(key, child.Children is not null
                ? ToAst(child)
                : new AstValue(HoconScalar.String(child.Value ?? "", child.Origin)));
        }

        return result;
    }
}
