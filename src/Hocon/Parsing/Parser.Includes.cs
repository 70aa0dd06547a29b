namespace Decentral.Hocon.Parsing;

/// <summary>
/// Include statements: <c>include "name"</c>, <c>include file("name")</c> and
/// <c>include required(...)</c>. Because '(' and ')' may appear in unquoted text, the lexer hands
/// us e.g. <c>required(file(</c> as one token; <see cref="_offset"/> lets us consume it piecewise.
/// Which files may be read is the resolver's decision (<see cref="FileIncludeResolver"/> confines
/// includes to the including file's directory tree); URLs are refused here, and an included file is
/// parsed without quoting its text in errors, since it need not be HOCON at all.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxIncludeDepth = 32;

    /// <summary>Appended to an error in an included file that would have quoted its text.</summary>
    private const string NotQuotedNote = " (the text of an included file is not quoted in messages)";
    private static readonly string[] ExtensionOrder = [".properties", ".json", ".conf"];

    private int _offset;

    private void Include(AstObject target, HoconPath? localPath)
    {
        var includeToken = Next();
        var (name, required, nameOrigin) = IncludeSpec(insideRequired: false);
        if (_offset != 0)
        {
            throw new HoconParseException(
                $"unexpected {Describe(Peek)} after the include statement", Peek.Origin);
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
            catch (IncludeRefusedException e)
            {
                throw new HoconParseException($"cannot include {ShowName(candidate)}: {e.Message}", nameOrigin, e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new HoconParseException($"cannot read included file {ShowName(candidate)}: {e.Message}", nameOrigin, e);
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
            throw new HoconParseException($"required include {ShowName(name)} was not found{(_quoteText ? tried : "")}", nameOrigin);
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
                : ParseDocument(included.Text, included.Source, _resolver, prefix, _includeStack, _depth.Levels, quoteText: false);
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

    /// <summary>
    /// A file name, never a URL: a name that starts like one (a scheme of two or more letters, digits,
    /// '+', '-' or '.' and a ':', as in file:, http: or jar:) is refused; a drive letter (C:) is a file name.
    /// </summary>
    private string LocalName(string name, ConfigOrigin origin)
    {
        if (name.Length == 0)
        {
            throw new HoconParseException("empty file name in include", origin);
        }

        if (UrlScheme().IsMatch(name))
        {
            throw new HoconParseException(
                $"cannot include {ShowName(name)}: URL includes (file:, http:, ...) are not supported; name a file relative to the including file", origin);
        }

        return name;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]+:")]
    private static partial System.Text.RegularExpressions.Regex UrlScheme();

    /// <summary>A file name from an include statement, as messages name it.</summary>
    private string ShowName(string name) => _quoteText ? $"'{name}'" : Withheld("a file");

    private string Describe(Token t) => _offset == 0 ? Show(t) : _quoteText ? $"'{t.Text[_offset..]}'" : Withheld("unquoted text");

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
