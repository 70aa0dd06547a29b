namespace Decentral.Nodes.Data;

/// <summary>A malformed LIBSVM file: the message names the source, the 1-based line and the token.</summary>
public sealed class LibSvmFormatException : FormatException
{
    public LibSvmFormatException(string source, int line, string? token, string problem)
        : base(token is null ? $"{source}:{line}: {problem}" : $"{source}:{line}: {problem} (token '{token}')")
    {
        SourceName = source;
        Line = line;
        Token = token;
    }

    /// <summary>The file name or the description given for a TextReader.</summary>
    public string SourceName { get; }

    /// <summary>1-based line number; 0 for problems of the whole file (e.g. it is empty).</summary>
    public int Line { get; }

    public string? Token { get; }
}
