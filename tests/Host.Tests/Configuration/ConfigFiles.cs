using System.Runtime.CompilerServices;

namespace Decentral.Host.Tests.Configuration;

/// <summary>The repository (for hocon/ and data/) and a scratch folder for configuration files a test writes.</summary>
internal sealed class ConfigFiles : IDisposable
{
    public ConfigFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "decentral-config-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string HoconDirectory => Path.Combine(RepositoryRoot, "hocon");

    public static string BreastCancer => Path.Combine(RepositoryRoot, "data", "breast_cancer_scale.libsvm");

    /// <summary>A fresh folder outside the repository, deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>Writes <paramref name="text"/> to a file of the scratch folder and returns its full path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>"line:column" (1-based) of the first occurrence of <paramref name="needle"/> in <paramref name="text"/>.</summary>
    public static string PositionOf(string text, string needle)
    {
        var index = text.IndexOf(needle, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{needle}' is not in the text");
        var before = text[..index];
        var line = 1 + before.Count(c => c == '\n');
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return $"{line}:{column}";
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static string FindRepositoryRoot([CallerFilePath] string thisFile = "")
    {
        // With DECENTRAL_ARTIFACTS the assembly is outside the checkout; the source path is not.
        string[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(thisFile) ?? "", System.IO.Directory.GetCurrentDirectory()];
        foreach (var start in starts.Where(s => s.Length > 0 && System.IO.Directory.Exists(s)))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Decentral.sln")) && System.IO.Directory.Exists(Path.Combine(dir.FullName, "hocon")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No Decentral.sln with a hocon/ folder above any of {string.Join(", ", starts)}.");
    }
}

/// <summary>Runs the CLI with captured output.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
