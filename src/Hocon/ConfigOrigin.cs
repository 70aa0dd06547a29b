namespace Decentral.Hocon;

/// <summary>
/// Where a value or token was written: a file (or another named source such as "--set[1]" or
/// "environment variable HOME") and, for text sources, a 1-based line and column.
/// </summary>
public sealed record ConfigOrigin(string Source, int Line, int Column)
{
    /// <summary>The source name used for text parsed without a file name.</summary>
    public const string StringSource = "<string>";

    /// <summary>An origin for values that do not come from text, e.g. environment variables.</summary>
    public static ConfigOrigin Named(string source) => new(source, 0, 0);

    /// <summary>"file:line:column", or just the source name when there is no position.</summary>
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}
