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
    /// <exception cref="IncludeRefusedException">The resolver will not read that file (the parser reports it at the include).</exception>
    IncludedText? TryRead(string name, string? includingSource);

    /// <summary>A stable identity for include-cycle detection, e.g. the full path.</summary>
    string Identify(IncludedText included);
}

/// <summary>
/// An include an <see cref="IIncludeResolver"/> will not read: outside the directories it may read, or a
/// name no file can have. The message says why; the parser reports it at the include statement.
/// </summary>
public sealed class IncludeRefusedException : Exception
{
    public IncludeRefusedException()
        : base("the include is refused")
    {
    }

    public IncludeRefusedException(string message)
        : base(message)
    {
    }

    public IncludeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Resolves includes on the file system, relative names against the directory of the including file
/// (never the process's working directory, per HOCON.md, unless the including text has no file name,
/// in which case <see cref="BaseDirectory"/> is used).
///
/// Includes are confined: a file may include only files in its own directory and below (absolute
/// names too, and after following symbolic links), or under <see cref="IncludeRoot"/> when one is
/// given. A configuration handed over by someone else thus cannot read the reader's other files
/// (<c>include "/home/me/.ssh/id_rsa"</c>, <c>include "../../secrets.conf"</c>) into the values it
/// prints. A name outside is an <see cref="IncludeRefusedException"/>, whether the file exists or not.
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

    /// <summary>
    /// A directory whose files (and those of its subdirectories) every include may read, besides the
    /// including file's own directory tree; null (the default): none. "/" allows any file.
    /// </summary>
    public string? IncludeRoot { get; init; }

    /// <inheritdoc />
    public IncludedText? TryRead(string name, string? includingSource)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CheckCharacters(name, "the file name");
        string? directory;
        if (includingSource is null)
        {
            directory = BaseDirectory;
        }
        else
        {
            CheckCharacters(includingSource, "the including file's name");
            directory = Path.GetDirectoryName(includingSource);
        }

        // The name shown in origins stays as written (relative when the including file's was); checks use full paths.
        var path = Path.IsPathRooted(name) || string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
        var fullPath = Path.GetFullPath(path);
        var allowed = new List<string> { Path.GetFullPath(string.IsNullOrEmpty(directory) ? "." : directory) };
        if (IncludeRoot is not null)
        {
            CheckCharacters(IncludeRoot, nameof(IncludeRoot));
            allowed.Add(Path.GetFullPath(IncludeRoot));
        }

        if (!allowed.Any(root => IncludeConfinement.IsWithin(fullPath, root)))
        {
            throw new IncludeRefusedException(
                $"'{fullPath}' is outside {Describe(allowed)}; includes may only name files there (an include root allows another directory tree)");
        }

        // Only a missing file is "silently ignored"; other I/O errors surface to the caller (HOCON.md).
        if (!File.Exists(fullPath))
        {
            return null;
        }

        var realPath = IncludeConfinement.RealPath(fullPath);
        if (!allowed.Any(root => IncludeConfinement.IsWithin(realPath, IncludeConfinement.RealPath(root))))
        {
            throw new IncludeRefusedException(
                $"'{fullPath}' is a symbolic link to '{realPath}', outside {Describe(allowed)}; includes may only name files there");
        }

        return new IncludedText(path, File.ReadAllText(fullPath));
    }

    /// <inheritdoc />
    public string Identify(IncludedText included)
    {
        ArgumentNullException.ThrowIfNull(included);
        return Path.GetFullPath(included.Source);
    }

    private static string Describe(List<string> allowed) =>
        allowed.Count == 1 ? $"'{allowed[0]}', the including file's directory" : $"'{allowed[0]}', the including file's directory, and the include root '{allowed[1]}'";

    /// <summary>NUL (and, on Windows, the other characters no path may hold) would otherwise be an ArgumentException.</summary>
    private static void CheckCharacters(string path, string what)
    {
        var at = path.AsSpan().IndexOfAny(Path.GetInvalidPathChars());
        if (at >= 0)
        {
            throw new IncludeRefusedException($"{what} contains the character U+{(int)path[at]:X4}, which no file name may hold");
        }
    }
}
