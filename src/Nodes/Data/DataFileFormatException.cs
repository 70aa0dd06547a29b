namespace Decentral.Nodes.Data;

/// <summary>
/// A malformed data file (LIBSVM, CSV): the message names the source, the 1-based line and the token,
/// <c>file:line: problem (token 't')</c>.
/// </summary>
public abstract class DataFileFormatException : FormatException
{
    protected DataFileFormatException(string source, int line, string? token, string problem)
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

/// <summary>A malformed LIBSVM file.</summary>
public sealed class LibSvmFormatException(string source, int line, string? token, string problem)
    : DataFileFormatException(source, line, token, problem);

/// <summary>A malformed CSV file.</summary>
public sealed class CsvFormatException(string source, int line, string? token, string problem)
    : DataFileFormatException(source, line, token, problem);
