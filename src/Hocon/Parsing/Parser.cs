using System.Text;

namespace Decentral.Hocon.Parsing;

/// <summary>
/// Recursive-descent parser from tokens to the unresolved tree (<see cref="AstObject"/>).
/// Object merging and substitutions are left to the resolver; the parser only records, per key,
/// every definition in order. Includes are parsed here (see Parser.Includes.cs).
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly string _source;
    private readonly bool _hasFileName;
    private readonly IIncludeResolver _resolver;
    private readonly HoconPath? _includePrefix;
    private readonly List<string> _includeStack;
    private readonly ParseDepth _depth;

    /// <summary>False for included files: their text is never quoted in error messages (it may be any file).</summary>
    private readonly bool _quoteText;

    /// <summary>True once a message being built left out text of the file (<see cref="_quoteText"/> false).</summary>
    private bool _withheld;
    private int _index;

    private Parser(
        string text, string source, bool hasFileName, IIncludeResolver resolver, HoconPath? includePrefix, List<string> includeStack, int rootDepth, bool quoteText)
    {
        _quoteText = quoteText;
        _tokens = Lexer.Tokenize(text, source);
        _depth = new ParseDepth(rootDepth);
        _source = source;
        _hasFileName = hasFileName;
        _resolver = resolver;
        _includePrefix = includePrefix is { IsRoot: true } ? null : includePrefix;
        _includeStack = includeStack;
    }

    /// <summary>Parses a whole document whose root must be an object (braces optional).</summary>
    /// <param name="includePrefix">For included files: where the file's root object lands.</param>
    /// <param name="rootDepth">For included files: the nesting level of the object the file is included into.</param>
    /// <param name="quoteText">False for included files: messages name the kind of a token, never its text.</param>
    public static AstObject ParseDocument(
        string text, string? fileName, IIncludeResolver resolver, HoconPath? includePrefix = null, List<string>? includeStack = null, int rootDepth = 1,
        bool quoteText = true)
    {
        var parser = new Parser(
            text, fileName ?? ConfigOrigin.StringSource, fileName is not null, resolver, includePrefix, includeStack ?? [], rootDepth, quoteText);
        try
        {
            return parser.Document();
        }
        catch (HoconParseException e) when (parser._withheld && e.Origin?.Source == parser._source)
        {
            // A file named by an include need not be HOCON (include "/etc/passwd"): the error says where and what
            // kind of token, and why it does not say more.
            throw new HoconParseException(e.Reason + NotQuotedNote, e.Origin, e);
        }
    }

    /// <summary>A token as error messages name it (<see cref="Token.Describe"/>).</summary>
    private string Show(Token t)
    {
        var shown = t.Describe(_quoteText);
        _withheld |= shown != t.Describe();
        return shown;
    }

    /// <summary>A key as error messages name it: quoted, or "a key" in a file whose text is not shown.</summary>
    private string ShowKey(string key) => _quoteText ? $"'{key}'" : Withheld("a key");

    /// <summary>Says <paramref name="description"/> instead of the text of the file, noting that something was withheld.</summary>
    private string Withheld(string description)
    {
        _withheld = true;
        return description;
    }

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private void SkipWhitespace()
    {
        while (Peek.Kind == TokenKind.Whitespace)
        {
            _index++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek.Kind is TokenKind.Whitespace or TokenKind.Newline)
        {
            _index++;
        }
    }

    private AstObject Document()
    {
        SkipWhitespaceAndNewlines();
        var first = Peek;
        if (first.Kind == TokenKind.OpenBracket)
        {
            throw new HoconParseException("expected an object at the root of the document, found a list", first.Origin);
        }

        if (first.Kind != TokenKind.OpenBrace)
        {
            return ObjectBody(new AstObject(first.Origin), open: null, HoconPath.Root);
        }

        Next();
        var root = ObjectBody(new AstObject(first.Origin), first, HoconPath.Root);
        SkipWhitespaceAndNewlines();
        if (Peek.Kind != TokenKind.End)
        {
            throw new HoconParseException(
                $"expected end of file after the root object's closing '}}', found {Show(Peek)}", Peek.Origin);
        }

        return root;
    }

    /// <summary>Fields up to the closing brace (or end of file for an unbraced root).</summary>
    /// <param name="localPath">Path of this object from the document root; null inside arrays.</param>
    private AstObject ObjectBody(AstObject target, Token? open, HoconPath? localPath)
    {
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var t = Peek;
            if (t.Kind == TokenKind.End)
            {
                if (open is not null)
                {
                    throw new HoconParseException(
                        $"expected '}}' to close the object opened at {open.Origin.Line}:{open.Origin.Column}, found end of file", t.Origin);
                }

                return target;
            }

            if (t.Kind == TokenKind.CloseBrace)
            {
                if (open is null)
                {
                    throw new HoconParseException("unbalanced '}': there is no '{' for it to close", t.Origin);
                }

                Next();
                return target;
            }

            string fieldName;
            if (t.Kind == TokenKind.Unquoted && t.Text == "include")
            {
                // An unquoted 'include' starting a key is always an include statement (HOCON.md);
                // quote it ("include") for a key of that name.
                Include(target, localPath);
                fieldName = "include";
            }
            else
            {
                fieldName = Field(target, localPath);
            }

            if (SkipSeparator("a field or '}'"))
            {
                continue;
            }

            t = Peek;
            if (t.Kind is not (TokenKind.CloseBrace or TokenKind.End))
            {
                var hint = t.Kind is TokenKind.Colon or TokenKind.Equals ? " (put text containing ':' or '=' in quotes)" : "";
                throw new HoconParseException(
                    $"expected ',' or a newline after the value of {ShowKey(fieldName)}, found {Show(t)}{hint}", t.Origin);
            }
        }
    }

    /// <summary>
    /// After a field or list element: skips whitespace and, when a ',' or a newline follows, the whole separator
    /// (newlines on either side of at most one comma). False when neither follows: the caller checks what does.
    /// </summary>
    /// <param name="expected">What may come next, for the error on a second comma.</param>
    private bool SkipSeparator(string expected)
    {
        SkipWhitespace();
        var t = Peek;
        if (t.Kind is not (TokenKind.Comma or TokenKind.Newline))
        {
            return false;
        }

        Next();
        SkipWhitespaceAndNewlines();
        if (t.Kind != TokenKind.Comma && Peek.Kind == TokenKind.Comma)
        {
            Next();
            SkipWhitespaceAndNewlines();
        }

        if (Peek.Kind == TokenKind.Comma)
        {
            throw new HoconParseException($"two commas in a row: expected {expected}", Peek.Origin);
        }

        return true;
    }

    /// <summary>Parses <c>key (= | : | += | {) value</c> into <paramref name="target"/>; returns the key for messages.</summary>
    private string Field(AstObject target, HoconPath? localPath)
    {
        var keyStart = Peek;
        var keyTokens = new List<Token>();
        while (Peek.IsSimpleValue || (Peek.Kind == TokenKind.Whitespace && keyTokens.Count > 0))
        {
            keyTokens.Add(Next());
        }

        while (keyTokens.Count > 0 && keyTokens[^1].Kind == TokenKind.Whitespace)
        {
            keyTokens.RemoveAt(keyTokens.Count - 1);
        }

        if (keyTokens.Count == 0)
        {
            var what = keyStart.Kind == TokenKind.Substitution ? "substitutions are not allowed in keys; " : "";
            throw new HoconParseException($"{what}expected a key, found {Show(keyStart)}", keyStart.Origin);
        }

        var key = HoconPath.FromTokens(keyTokens);
        var keyText = key.ToString();

        SkipWhitespace();
        if (Peek.Kind == TokenKind.Newline)
        {
            // JSON allows a newline before ':'; otherwise report the missing separator on the key's own line.
            var save = _index;
            SkipWhitespaceAndNewlines();
            if (Peek.Kind is not (TokenKind.Colon or TokenKind.Equals))
            {
                _index = save;
            }
        }

        var separator = Peek;
        var fieldPath = localPath?.Append(key);
        _depth.EnterKey(key, keyStart);
        AstNode value;
        switch (separator.Kind)
        {
            case TokenKind.Colon or TokenKind.Equals:
                Next();
                SkipWhitespaceAndNewlines();
                value = Value(fieldPath) ?? throw new HoconParseException(
                    $"expected a value after {(_quoteText ? $"'{keyText} {separator.Text}'" : Withheld($"a key and '{separator.Text}'"))}, found {Show(Peek)}", Peek.Origin);
                break;
            case TokenKind.PlusEquals:
                Next();
                SkipWhitespaceAndNewlines();
                _depth.Enter(separator); // the element goes into a list
                var element = Value(fieldPath) ?? throw new HoconParseException(
                    $"expected a value after {(_quoteText ? $"'{keyText} +='" : Withheld("a key and '+='"))}, found {Show(Peek)}", Peek.Origin);
                _depth.Leave();
                if (fieldPath is null)
                {
                    throw new HoconParseException("'+=' cannot be used in an object inside a list", separator.Origin);
                }

                // a += b means a = ${?a} [b] (HOCON.md).
                var previous = new AstSubstitution(separator.Origin, $"${{?{fieldPath}}}", fieldPath, optional: true, _includePrefix);
                value = new AstConcat(separator.Origin, [previous, new AstArray(element.Origin, [element])]);
                break;
            case TokenKind.OpenBrace:
                value = Value(fieldPath)!;
                break;
            default:
                throw new HoconParseException(
                    $"expected '=' or ':' after {(_quoteText ? $"key '{keyText}'" : Withheld("a key"))}, found {Show(separator)}", separator.Origin);
        }

        _depth.LeaveKey(key);
        for (var i = key.Length - 1; i >= 1; i--)
        {
            var wrapper = new AstObject(keyStart.Origin);
            wrapper.Add(key.Elements[i], value);
            value = wrapper;
        }

        target.Add(key.Elements[0], value);
        return keyText;
    }

    /// <summary>
    /// A value concatenation: simple values, substitutions, arrays and objects separated only by
    /// non-newline whitespace. Returns null when no value starts here.
    /// </summary>
    private AstNode? Value(HoconPath? localPath)
    {
        var pieces = new List<AstNode>();
        Token? pendingSpace = null;
        while (true)
        {
            var t = Peek;
            AstNode piece;
            switch (t.Kind)
            {
                case TokenKind.Whitespace:
                    Next();
                    pendingSpace = pieces.Count > 0 ? t : null;
                    continue;
                case TokenKind.Quoted or TokenKind.Unquoted:
                    Next();
                    piece = new AstValue(HoconScalar.String(t.Text, t.Origin));
                    break;
                case TokenKind.Number:
                    Next();
                    piece = new AstValue(HoconScalar.Number(t.Text, t.Origin));
                    break;
                case TokenKind.True or TokenKind.False:
                    Next();
                    piece = new AstValue(HoconScalar.Boolean(t.Kind == TokenKind.True, t.Origin));
                    break;
                case TokenKind.Null:
                    Next();
                    piece = new AstValue(HoconScalar.Null(t.Origin));
                    break;
                case TokenKind.Substitution:
                    Next();
                    piece = new AstSubstitution(t.Origin, t.Text, HoconPath.FromTokens(t.PathTokens), t.Optional, _includePrefix);
                    break;
                case TokenKind.OpenBrace:
                    Next();
                    _depth.Enter(t);
                    piece = ObjectBody(new AstObject(t.Origin), t, localPath);
                    _depth.Leave();
                    break;
                case TokenKind.OpenBracket:
                    Next();
                    _depth.Enter(t);
                    piece = Array(t);
                    _depth.Leave();
                    break;
                default:
                    return Combine(pieces);
            }

            if (pendingSpace is not null)
            {
                pieces.Add(new AstWhitespace(pendingSpace.Origin, pendingSpace.Text));
                pendingSpace = null;
            }

            pieces.Add(piece);
        }
    }

    private AstNode? Combine(List<AstNode> pieces)
    {
        if (pieces.Count <= 1)
        {
            return pieces.Count == 0 ? null : pieces[0];
        }

        var hasSimple = pieces.Any(p => p is AstValue);
        var structured = pieces.FirstOrDefault(p => p is AstObject or AstArray);
        if (hasSimple && structured is not null)
        {
            var simple = pieces.First(p => p is AstValue);
            var kind = structured is AstObject ? "an object" : "a list";
            throw new HoconParseException(
                $"cannot concatenate {(_quoteText ? ((AstValue)simple).Value.Describe() : Withheld("a simple value"))} with {kind} on the same line; "
                + "separate them with a newline or a comma, or quote the text", structured.Origin);
        }

        if (!pieces.Any(p => p is AstSubstitution) && structured is null)
        {
            var text = new StringBuilder();
            foreach (var p in pieces)
            {
                text.Append(p is AstWhitespace w ? w.Text : ((HoconScalar)((AstValue)p).Value).Text);
            }

            return new AstValue(HoconScalar.String(text.ToString(), pieces[0].Origin));
        }

        return new AstConcat(pieces[0].Origin, pieces);
    }

    private AstArray Array(Token open)
    {
        var elements = new List<AstNode>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var t = Peek;
            if (t.Kind == TokenKind.CloseBracket)
            {
                Next();
                return new AstArray(open.Origin, elements);
            }

            if (t.Kind == TokenKind.End)
            {
                throw new HoconParseException(
                    $"expected ']' to close the list opened at {open.Origin.Line}:{open.Origin.Column}, found end of file", t.Origin);
            }

            elements.Add(Value(localPath: null)
                ?? throw new HoconParseException($"expected a list element or ']', found {Show(t)}", t.Origin));

            if (SkipSeparator("a list element or ']'"))
            {
                continue;
            }

            t = Peek;
            if (t.Kind == TokenKind.End)
            {
                throw new HoconParseException(
                    $"expected ']' to close the list opened at {open.Origin.Line}:{open.Origin.Column}, found end of file", t.Origin);
            }
            else if (t.Kind != TokenKind.CloseBracket)
            {
                var hint = t.Kind is TokenKind.Colon or TokenKind.Equals
                    ? $"; is the list opened at {open.Origin.Line}:{open.Origin.Column} missing its ']'?"
                    : "";
                throw new HoconParseException($"expected ',' or ']' after a list element, found {Show(t)}{hint}", t.Origin);
            }
        }
    }
}
