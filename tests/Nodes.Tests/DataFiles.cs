namespace Decentral.Nodes.Tests;

/// <summary>
/// Finds the real data sets: ../shared/data beside the checkout (walk up from the test assembly to the
/// folder holding Decentral.sln), and the repository's own data/ folder. A missing folder fails the
/// test with a message saying where it looked — it never skips.
/// </summary>
internal static class DataFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A file of shared/data (or, failing that, of the repository's data/ folder).</summary>
    public static string Shared(string fileName)
    {
        var folder = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
        var path = Path.Combine(folder, fileName);
        var local = Path.Combine(RepositoryRoot, "data", fileName);
        if (!File.Exists(path) && File.Exists(local))
        {
            return local; // the repository ships the small default data set itself
        }
        Assert.True(File.Exists(path),
            $"Data file {fileName} not found in {folder}. The real data sets live in shared/data beside the checkout (../shared/data from {RepositoryRoot}).");
        return path;
    }

    public static string Repository(string fileName)
    {
        var path = Path.Combine(RepositoryRoot, "data", fileName);
        Assert.True(File.Exists(path), $"Data file {fileName} not found in {Path.Combine(RepositoryRoot, "data")}.");
        return path;
    }

    private static string FindRepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        // The assembly's folder is inside the checkout in a plain build; with DECENTRAL_ARTIFACTS it is
        // not, so fall back to where this source file was compiled from, then the working directory.
        string[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(thisFile) ?? "", Directory.GetCurrentDirectory()];
        foreach (var start in starts.Where(s => s.Length > 0 && Directory.Exists(s)))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Decentral.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException(
            $"No Decentral.sln above any of {string.Join(", ", starts)}: cannot locate the repository and its data.");
    }
}
