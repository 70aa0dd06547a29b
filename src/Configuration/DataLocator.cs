namespace Decentral.Configuration;

/// <summary>
/// Finds files named in a configuration. A relative data path is looked up from a start directory and
/// then its parents — the directory of the file that wrote the path, or the working directory for
/// embedded files and overrides — so the embedded default's "data/…" works from anywhere inside the
/// repository and a file in hocon/ may name "data/…" too.
/// </summary>
internal static class DataLocator
{
    /// <summary>How far up the directory tree a relative path is looked for.</summary>
    private const int MaxParents = 32;

    /// <summary>The full path of an existing file, or null: each start directory and its parents are tried in turn.</summary>
    public static string? Find(string written, IReadOnlyList<string> startDirectories)
    {
        if (Path.IsPathRooted(written))
        {
            return File.Exists(written) ? Path.GetFullPath(written) : null;
        }

        foreach (var start in startDirectories)
        {
            var directory = new DirectoryInfo(start);
            for (var i = 0; directory is not null && i <= MaxParents; i++, directory = directory.Parent)
            {
                var candidate = Path.GetFullPath(Path.Combine(directory.FullName, written));
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>An output path (a checkpoint database): relative to <paramref name="baseDirectory"/>, no search.</summary>
    public static string Resolve(string written, string baseDirectory) =>
        Path.GetFullPath(Path.IsPathRooted(written) ? written : Path.Combine(baseDirectory, written));
}
