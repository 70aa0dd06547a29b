namespace Decentral.Hocon.Tests;

/// <summary>Shared helpers: parse with a fixed (empty) environment unless a test opts into the real one.</summary>
internal static class H
{
    public static Config Parse(string text, string? file = "test.conf", Func<string, string?>? env = null) =>
        HoconParser.Parse(text, file, options: new HoconParseOptions { Environment = env ?? NoEnvironment });

    public static string? NoEnvironment(string name) => null;

    public static T Fails<T>(Action action)
        where T : Exception => Assert.Throws<T>(action);

    public static HoconParseException ParseError(string text, string file = "test.conf") =>
        Assert.Throws<HoconParseException>(() => Parse(text, file));

    public static HoconResolveException ResolveError(string text, Func<string, string?>? env = null) =>
        Assert.Throws<HoconResolveException>(() => Parse(text, "test.conf", env));
}

/// <summary>A temporary directory deleted after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("hocon-tests-").FullName;

    public string Path { get; }

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
