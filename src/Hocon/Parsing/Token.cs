namespace Decentral.Hocon.Parsing;

internal enum TokenKind
{
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    Newline,
    Whitespace,
    Unquoted,
    Quoted,
    Number,
    True,
    False,
    Null,
    Substitution,
    End,
}

/// <summary>
/// One lexical token. <see cref="Text"/> is the decoded string for quoted strings and the source
/// text otherwise; substitutions carry the tokens of their path expression.
/// </summary>
internal sealed class Token(TokenKind kind, string text, ConfigOrigin origin)
{
    public TokenKind Kind { get; } = kind;

    public string Text { get; } = text;

    public ConfigOrigin Origin { get; } = origin;

    /// <summary>For substitutions: <c>${?path}</c>.</summary>
    public bool Optional { get; init; }

    /// <summary>For substitutions: the tokens between <c>${</c> and <c>}</c>.</summary>
    public IReadOnlyList<Token> PathTokens { get; init; } = [];

    /// <summary>True for the kinds that may form a simple value or a path expression.</summary>
    public bool IsSimpleValue => Kind is TokenKind.Unquoted or TokenKind.Quoted or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null;

    /// <summary>How the token is named in error messages ("'}'", "end of line", ...).</summary>
    /// <param name="showText">False: name only the kind of a token that carries text of the file (a word,
    /// string, number or substitution), for files whose text must not appear in messages.</param>
    public string Describe(bool showText = true) => Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.Newline => "end of line",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Quoted => showText ? $"quoted string \"{Text}\"" : "a quoted string",
        TokenKind.Number => showText ? $"number {Text}" : "a number",
        TokenKind.Substitution => showText ? $"substitution {Text}" : "a substitution",
        TokenKind.Unquoted or TokenKind.True or TokenKind.False or TokenKind.Null when !showText => "unquoted text",
        _ => $"'{Text}'",
    };
}
