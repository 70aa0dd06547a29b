namespace Decentral.Hocon;

/// <summary>
/// Path checks for <see cref="FileIncludeResolver"/>: whether a full path lies in a directory tree, and
/// the path with every symbolic link followed (so a link inside the tree to a file outside it is caught).
/// </summary>
internal static class IncludeConfinement
{
    /// <summary>Links followed before giving up (Linux's own limit is 40).</summary>
    private const int MaxLinks = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>True when the full path <paramref name="path"/> is <paramref name="directory"/> or lies below it.</summary>
    public static bool IsWithin(string path, string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(directory);
        if (path.Equals(root, PathComparison))
        {
            return true;
        }

        // A root such as "/" or "C:\" keeps its separator after trimming.
        var prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, PathComparison);
    }

    /// <summary>The full path <paramref name="fullPath"/> with every symbolic link on the way replaced by its target.</summary>
    /// <exception cref="IncludeRefusedException">More than <see cref="MaxLinks"/> links (a loop).</exception>
    public static string RealPath(string fullPath)
    {
        var path = fullPath;
        for (var links = 0; links <= MaxLinks; links++)
        {
            var next = FollowFirstLink(path);
            if (next is null)
            {
                return path;
            }

            path = next;
        }

        throw new IncludeRefusedException($"'{fullPath}' goes through more than {MaxLinks} symbolic links");
    }

    /// <summary>The path with its first component that is a symbolic link replaced by the link's target; null when none is.</summary>
    private static string? FollowFirstLink(string path)
    {
        var root = Path.GetPathRoot(path) ?? "";
        var parts = path[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            var target = new FileInfo(current).LinkTarget;
            if (target is not null)
            {
                var resolved = Path.GetFullPath(target, Path.GetDirectoryName(current) ?? root);
                return Path.GetFullPath(Path.Combine([resolved, .. parts[(i + 1)..]]));
            }
        }

        return null;
    }
}
