using System.Globalization;
using System.Text;

namespace Decentral.Hocon.Parsing;

/// <summary>
/// Splits HOCON text into tokens, tracking line and column (1-based) for every token.
/// Comments are dropped; newlines and other whitespace are kept because they separate fields
/// and take part in value concatenation.
/// </summary>
internal sealed class Lexer
{
    // Characters that end an unquoted string; the reserved ones ('`', '^', ...) are errors on their own.
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";
    private const string Reserved = "`^?!@*&\\";

    private readonly string _text;
    private readonly string _source;
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private Lexer(string text, string source)
    {
        _text = text;
        _source = source;
    }

    /// <summary>Tokenizes all of <paramref name="text"/>; the last token is <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Tokenize(string text, string source)
    {
        var lexer = new Lexer(text, source);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next(insideSubstitution: false);
            tokens.Add(token);
            if (token.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    /// <summary>HOCON whitespace: Unicode separators, BOM, ASCII controls 9-13 and 28-31 (HOCON.md).</summary>
    public static bool IsWhitespace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\u001C' and <= '\u001F' => true,
        '\uFEFF' => true,
        _ => char.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator,
    };

    /// <summary>True for characters that end an unquoted string.</summary>
    public static bool IsForbidden(char c) => Forbidden.Contains(c, StringComparison.Ordinal);

    private ConfigOrigin Here => new(_source, _line, _column);

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private void Advance(int count = 1)
    {
        for (var i = 0; i < count && _pos < _text.Length; i++)
        {
            if (_text[_pos] == '\n')
            {
                _line++;
                _column = 1;
            }
            else
            {
                _column++;
            }

            _pos++;
        }
    }

    private bool StartsComment() => Peek() == '#' || (Peek() == '/' && Peek(1) == '/');

    private Token Next(bool insideSubstitution)
    {
        while (!AtEnd && StartsComment())
        {
            while (!AtEnd && Peek() != '\n')
            {
                Advance();
            }
        }

        var origin = Here;
        if (AtEnd)
        {
            return new Token(TokenKind.End, "", origin);
        }

        var c = Peek();
        if (c == '\n')
        {
            Advance();
            return new Token(TokenKind.Newline, "\n", origin);
        }

        if (IsWhitespace(c))
        {
            var start = _pos;
            while (!AtEnd && Peek() != '\n' && IsWhitespace(Peek()))
            {
                Advance();
            }

            return new Token(TokenKind.Whitespace, _text[start.._pos], origin);
        }

        switch (c)
        {
            case '{': Advance(); return new Token(TokenKind.OpenBrace, "{", origin);
            case '}': Advance(); return new Token(TokenKind.CloseBrace, "}", origin);
            case '[': Advance(); return new Token(TokenKind.OpenBracket, "[", origin);
            case ']': Advance(); return new Token(TokenKind.CloseBracket, "]", origin);
            case ',': Advance(); return new Token(TokenKind.Comma, ",", origin);
            case ':': Advance(); return new Token(TokenKind.Colon, ":", origin);
            case '=': Advance(); return new Token(TokenKind.Equals, "=", origin);
            case '"':
                return Peek(1) == '"' && Peek(2) == '"' ? TripleQuoted(origin) : Quoted(origin);
            case '+':
                if (Peek(1) == '=')
                {
                    Advance(2);
                    return new Token(TokenKind.PlusEquals, "+=", origin);
                }

                throw new HoconParseException(
                    "unexpected '+': outside quotes '+' is only allowed in '+='; put the text in quotes", origin);
            case '$':
                if (Peek(1) != '{')
                {
                    throw new HoconParseException(
                        "unexpected '$': substitutions are written ${path}; put a literal '$' in quotes", origin);
                }

                if (insideSubstitution)
                {
                    throw new HoconParseException("substitutions cannot be nested inside substitutions", origin);
                }

                return Substitution(origin);
            default:
                break;
        }

        if (Reserved.Contains(c, StringComparison.Ordinal))
        {
            throw new HoconParseException(
                $"reserved character '{c}' is not allowed outside quotes; put the text in quotes", origin);
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            var length = NumberSyntax.MatchLength(_text.AsSpan(_pos));
            if (length > 0)
            {
                var number = _text.Substring(_pos, length);
                Advance(length);
                return new Token(TokenKind.Number, number, origin);
            }
        }

        foreach (var (word, kind) in Keywords)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                Advance(word.Length);
                return new Token(kind, word, origin);
            }
        }

        return Unquoted(origin);
    }

    private static readonly (string Word, TokenKind Kind)[] Keywords =
        [("true", TokenKind.True), ("false", TokenKind.False), ("null", TokenKind.Null)];

    private Token Unquoted(ConfigOrigin origin)
    {
        var start = _pos;
        while (!AtEnd)
        {
            var c = Peek();
            if (IsWhitespace(c) || Forbidden.Contains(c, StringComparison.Ordinal) || (c == '/' && Peek(1) == '/'))
            {
                break;
            }

            Advance();
        }

        return new Token(TokenKind.Unquoted, _text[start.._pos], origin);
    }

    private Token Quoted(ConfigOrigin origin)
    {
        Advance(); // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n' || (Peek() == '\r' && Peek(1) == '\n'))
            {
                throw new HoconParseException(
                    "unterminated quoted string: expected a closing '\"' before the end of the line "
                    + "(use \"\"\"triple quotes\"\"\" for multi-line strings)", origin);
            }

            var c = Peek();
            if (c == '"')
            {
                Advance();
                return new Token(TokenKind.Quoted, sb.ToString(), origin);
            }

            if (c == '\\')
            {
                sb.Append(Escape());
                continue;
            }

            if (c < ' ')
            {
                throw new HoconParseException(
                    $"control character U+{(int)c:X4} in a quoted string; write it as an escape such as \\t", Here);
            }

            sb.Append(c);
            Advance();
        }
    }

    private string Escape()
    {
        var at = Here;
        Advance(); // backslash
        var c = Peek();
        switch (c)
        {
            case '"': Advance(); return "\"";
            case '\\': Advance(); return "\\";
            case '/': Advance(); return "/";
            case 'b': Advance(); return "\b";
            case 'f': Advance(); return "\f";
            case 'n': Advance(); return "\n";
            case 'r': Advance(); return "\r";
            case 't': Advance(); return "\t";
            case 'u':
                if (_pos + 5 <= _text.Length
                    && int.TryParse(_text.AsSpan(_pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    Advance(5);
                    return ((char)code).ToString();
                }

                throw new HoconParseException("invalid \\u escape: expected four hexadecimal digits", at);
            default:
                var shown = AtEnd || c == '\n' ? "end of line" : $"'\\{c}'";
                throw new HoconParseException(
                    $"invalid escape {shown} in a quoted string; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at);
        }
    }

    private Token TripleQuoted(ConfigOrigin origin)
    {
        Advance(3);
        var start = _pos;
        while (true)
        {
            if (AtEnd)
            {
                throw new HoconParseException("unterminated triple-quoted string: expected a closing \"\"\"", origin);
            }

            if (Peek() == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                // Any run of three or more quotes ends the string; extra quotes belong to it (HOCON.md).
                var run = 3;
                while (Peek(run) == '"')
                {
                    run++;
                }

                var content = _text.Substring(start, _pos - start + run - 3);
                Advance(run);
                return new Token(TokenKind.Quoted, content, origin);
            }

            Advance();
        }
    }

    private Token Substitution(ConfigOrigin origin)
    {
        var startPos = _pos;
        Advance(2);
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            Advance();
        }

        var parts = new List<Token>();
        while (true)
        {
            var token = Next(insideSubstitution: true);
            switch (token.Kind)
            {
                case TokenKind.CloseBrace:
                    while (parts.Count > 0 && parts[^1].Kind == TokenKind.Whitespace)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }

                    if (parts.Count == 0)
                    {
                        throw new HoconParseException("empty substitution: expected a path between '${' and '}'", origin);
                    }

                    var text = _text[startPos.._pos];
                    return new Token(TokenKind.Substitution, text, origin) { Optional = optional, PathTokens = parts };
                case TokenKind.Whitespace:
                    if (parts.Count > 0)
                    {
                        parts.Add(token);
                    }

                    break;
                case TokenKind.End or TokenKind.Newline:
                    throw new HoconParseException(
                        $"unterminated substitution: expected '}}' to close '${{', found {token.Describe()}", token.Origin);
                default:
                    if (!token.IsSimpleValue)
                    {
                        throw new HoconParseException(
                            $"unexpected {token.Describe()} in substitution path; expected a path such as ${{a.b}}", token.Origin);
                    }

                    parts.Add(token);
                    break;
            }
        }
    }
}
