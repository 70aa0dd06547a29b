namespace Decentral.Hocon;

/// <summary>The text of an included file and the name used for it in origins and error messages.</summary>
public sealed record IncludedText(string Source, string Text);

/// <summary>
/// Finds the files named by <c>include</c> statements. Implementations decide what "relative to
/// the including file" means for their storage; <see cref="FileIncludeResolver"/> uses the file system.
/// </summary>
public interface IIncludeResolver
{
    /// <summary>
    /// Reads <paramref name="name"/> as written in the include statement (already with any extension
    /// the parser is trying), relative to <paramref name="includingSource"/> (null when the including
    /// text had no file name). Returns null when the file does not exist.
    /// </summary>
    IncludedText? TryRead(string name, string? includingSource);

    /// <summary>A stable identity for include-cycle detection, e.g. the full path.</summary>
    string Identify(IncludedText included);
}

/// <summary>
/// Resolves includes on the file system: absolute names as they are, relative names against the
/// directory of the including file (never the process's working directory, per HOCON.md, unless
/// the including text has no file name, in which case <see cref="BaseDirectory"/> is used).
/// </summary>
public sealed class FileIncludeResolver : IIncludeResolver
{
    /// <summary>A resolver whose base directory is the current directory.</summary>
    public static FileIncludeResolver Default { get; } = new();

    /// <param name="baseDirectory">Where relative includes from unnamed text are looked up; default: current directory.</param>
    public FileIncludeResolver(string? baseDirectory = null)
    {
        BaseDirectory = baseDirectory;
    }

    /// <summary>Directory for includes from text parsed without a file name (null: current directory).</summary>
    public string? BaseDirectory { get; }

    /// <inheritdoc />
    public IncludedText? TryRead(string name, string? includingSource)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string path;
        if (Path.IsPathRooted(name))
        {
            path = name;
        }
        else
        {
            var directory = includingSource is null ? BaseDirectory : Path.GetDirectoryName(includingSource);
            path = string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
        }

        // Only a missing file is "silently ignored"; other I/O errors surface to the caller (HOCON.md).
        return File.Exists(path) ? new IncludedText(path, File.ReadAllText(path)) : null;
    }

    /// <inheritdoc />
    public string Identify(IncludedText included)
    {
        ArgumentNullException.ThrowIfNull(included);
        return Path.GetFullPath(included.Source);
    }
}
