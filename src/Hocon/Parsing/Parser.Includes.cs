namespace Decentral.Hocon.Parsing;

/// <summary>
/// Include statements: <c>include "name"</c>, <c>include file("name")</c> and
/// <c>include required(...)</c>. Because '(' and ')' may appear in unquoted text, the lexer hands
/// us e.g. <c>required(file(</c> as one token; <see cref="_offset"/> lets us consume it piecewise.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxIncludeDepth = 32;
    private static readonly string[] ExtensionOrder = [".properties", ".json", ".conf"];

    private int _offset;

    private void Include(AstObject target, HoconPath? localPath)
    {
        var includeToken = Next();
        var (name, required, nameOrigin) = IncludeSpec(insideRequired: false);
        if (_offset != 0)
        {
            throw new HoconParseException(
                $"unexpected '{Peek.Text[_offset..]}' after the include statement", Peek.Origin);
        }

        name = LocalName(name, nameOrigin);
        var prefix = localPath is null ? _includePrefix : (_includePrefix ?? HoconPath.Root).Append(localPath);
        var candidates = Path.HasExtension(name) ? [name] : ExtensionOrder.Select(e => name + e).ToArray();
        var found = false;
        foreach (var candidate in candidates)
        {
            IncludedText? included;
            try
            {
                included = _resolver.TryRead(candidate, _hasFileName ? _source : null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new HoconParseException($"cannot read included file '{candidate}': {e.Message}", nameOrigin, e);
            }

            if (included is null)
            {
                continue;
            }

            found = true;
            foreach (var (key, definitions) in ParseIncluded(included, candidate, prefix, includeToken.Origin).Fields)
            {
                target.AddRange(key, definitions);
            }
        }

        if (!found && required)
        {
            var tried = candidates.Length == 1 ? "" : $" (tried {string.Join(", ", candidates)})";
            throw new HoconParseException($"required include '{name}' was not found{tried}", nameOrigin);
        }
    }

    private AstObject ParseIncluded(IncludedText included, string name, HoconPath? prefix, ConfigOrigin at)
    {
        var identity = _resolver.Identify(included);
        if (_includeStack.Contains(identity))
        {
            throw new HoconParseException(
                $"include cycle: {string.Join(" -> ", _includeStack.Select(Path.GetFileName))} -> {Path.GetFileName(identity)}", at);
        }

        if (_includeStack.Count >= MaxIncludeDepth)
        {
            throw new HoconParseException($"includes nested more than {MaxIncludeDepth} deep", at);
        }

        if (_includeStack.Count == 0 && _hasFileName)
        {
            // The including file itself takes part in cycle detection.
            _includeStack.Add(_resolver.Identify(new IncludedText(_source, "")));
        }

        _includeStack.Add(identity);
        try
        {
            return name.EndsWith(".properties", StringComparison.OrdinalIgnoreCase)
                ? PropertiesParser.Parse(included.Text, included.Source, _depth.Levels)
                : ParseDocument(included.Text, included.Source, _resolver, prefix, _includeStack, _depth.Levels);
        }
        finally
        {
            _includeStack.RemoveAt(_includeStack.Count - 1);
        }
    }

    private (string Name, bool Required, ConfigOrigin Origin) IncludeSpec(bool insideRequired)
    {
        SkipSpacesInInclude();
        var t = Peek;
        if (_offset == 0 && t.Kind == TokenKind.Quoted)
        {
            Next();
            return (t.Text, false, t.Origin);
        }

        if (TryLiteral("required("))
        {
            if (insideRequired)
            {
                throw new HoconParseException("required(...) cannot be nested", t.Origin);
            }

            var inner = IncludeSpec(insideRequired: true);
            SkipSpacesInInclude();
            ExpectLiteral(")");
            return (inner.Name, true, inner.Origin);
        }

        if (TryLiteral("file("))
        {
            SkipSpacesInInclude();
            var name = Peek;
            if (_offset != 0 || name.Kind != TokenKind.Quoted)
            {
                throw new HoconParseException($"expected a quoted file name inside file(...), found {Describe(name)}", name.Origin);
            }

            Next();
            SkipSpacesInInclude();
            ExpectLiteral(")");
            return (name.Text, false, name.Origin);
        }

        if (TryLiteral("url(") || TryLiteral("classpath("))
        {
            throw new HoconParseException(
                "url(...) and classpath(...) includes are not supported; include a file with file(\"...\") or \"name\"", t.Origin);
        }

        throw new HoconParseException(
            $"expected a quoted file name, file(\"...\") or required(...) after 'include', found {Describe(t)}", t.Origin);
    }

    /// <summary>Accepts plain names and file: URLs; other URLs are rejected with a clear error.</summary>
    private static string LocalName(string name, ConfigOrigin origin)
    {
        if (name.Length == 0)
        {
            throw new HoconParseException("empty file name in include", origin);
        }

        if (!name.Contains("://", StringComparison.Ordinal) && !name.StartsWith("file:", StringComparison.Ordinal))
        {
            return name;
        }

        if (Uri.TryCreate(name, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return uri.LocalPath;
        }

        throw new HoconParseException($"cannot include '{name}': URL includes are not supported; use a file name", origin);
    }

    private string Describe(Token t) => _offset == 0 ? t.Describe() : $"'{t.Text[_offset..]}'";

    private void SkipSpacesInInclude()
    {
        if (_offset == 0)
        {
            SkipWhitespaceAndNewlines();
        }
    }

    private bool TryLiteral(string literal)
    {
        var t = Peek;
        if (t.Kind != TokenKind.Unquoted || t.Text.Length - _offset < literal.Length
            || string.CompareOrdinal(t.Text, _offset, literal, 0, literal.Length) != 0)
        {
            return false;
        }

        _offset += literal.Length;
        if (_offset == t.Text.Length)
        {
            _index++;
            _offset = 0;
        }

        return true;
    }

    private void ExpectLiteral(string literal)
    {
        if (!TryLiteral(literal))
        {
            throw new HoconParseException($"expected '{literal}' in include statement, found {Describe(Peek)}", Peek.Origin);
        }
    }
}
