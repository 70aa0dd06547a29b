using Decentral.Hocon;

namespace Decentral.Configuration;

/// <summary>
/// Loads a configuration the way every command does: parse the user's file (or the embedded
/// local.conf when none is given), apply <c>--set key=value</c> overrides, fall back to the embedded
/// reference.conf, and resolve substitutions over the merged tree. Parse, include and substitution
/// errors become a <see cref="ConfigurationException"/> naming file:line:column. Includes may read only
/// the including file's directory tree, or also the tree of an include root
/// (<see cref="ConfigurationLoadOptions.IncludeRoot"/> or <see cref="IncludeRootVariable"/>).
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>The environment variable that names an include root when the options give none.</summary>
    public const string IncludeRootVariable = "DECENTRAL_INCLUDE_ROOT";

    private static readonly Lazy<Config> ReferenceUnresolved = new(() =>
        HoconParser.ParseUnresolved(EmbeddedConfigs.ReferenceText, EmbeddedConfigs.ReferenceSource, NoIncludes.Instance));

    /// <summary>reference.conf alone, resolved without the environment (the schema).</summary>
    public static Config Reference { get; } = ReferenceUnresolved.Value.Resolve(static _ => null);

    /// <param name="configFile">A HOCON file, or null for the embedded default.</param>
    /// <param name="overrides">Assignments such as <c>decentral.sgd.iterations=50</c>, applied in order, winning over the file.</param>
    /// <exception cref="ConfigurationException">The file is missing or malformed, or a substitution cannot be resolved.</exception>
    public static LoadedConfiguration Load(string? configFile, IReadOnlyList<string>? overrides = null, ConfigurationLoadOptions? options = null)
    {
        options ??= new ConfigurationLoadOptions();
        if (configFile is null)
        {
            return FromText(EmbeddedConfigs.LocalText, EmbeddedConfigs.LocalSource, NoIncludes.Instance, overrides, options);
        }

        if (string.IsNullOrWhiteSpace(configFile))
        {
            throw new ConfigurationException(new ConfigurationError("", null, "expected a configuration file name, found an empty string"));
        }

        if (ConfigPaths.Problem(configFile) is { } problem)
        {
            throw new ConfigurationException(new ConfigurationError("", null, $"configuration file name {problem}"));
        }

        var fullPath = Path.GetFullPath(configFile, WorkingDirectory(options));
        if (!File.Exists(fullPath))
        {
            var what = Directory.Exists(fullPath) ? "is a directory, not a configuration file" : "does not exist";
            throw new ConfigurationException(new ConfigurationError("", null, $"configuration file '{configFile}' {what}"));
        }

        // Positions name the file as the user wrote it; includes are relative to it, so an explicit
        // working directory (tests, tools) needs the full path to find them.
        return LoadText(ReadFile(fullPath, configFile), options.WorkingDirectory is null ? configFile : fullPath, overrides, options);
    }

    /// <summary>
    /// <see cref="Load"/> for the text of a configuration file named <paramref name="sourceName"/> (positions
    /// name it; includes are relative to it), without reading the file: the fuzz harness feeds inputs this way.
    /// </summary>
    internal static LoadedConfiguration LoadText(string text, string sourceName, IReadOnlyList<string>? overrides, ConfigurationLoadOptions options)
    {
        var includes = new FileIncludeResolver
        {
            IncludeRoot = IncludeRoot(options, options.Environment ?? Environment.GetEnvironmentVariable, WorkingDirectory(options)),
        };
        return FromText(text, sourceName, includes, overrides, options);
    }

    private static LoadedConfiguration FromText(
        string text, string sourceName, IIncludeResolver includes, IReadOnlyList<string>? overrides, ConfigurationLoadOptions options)
    {
        try
        {
            var user = HoconParser.ParseUnresolved(text, sourceName, includes);
            var merged = user.WithFallback(ReferenceUnresolved.Value).WithOverrides(overrides ?? [], options.Environment, options.Limits);
            return new LoadedConfiguration
            {
                Config = merged,
                Reference = Reference,
                SourceName = sourceName,
                WorkingDirectory = WorkingDirectory(options),
            };
        }
        catch (HoconException e)
        {
            throw ConfigurationException.FromHocon(e);
        }
    }

    private static string WorkingDirectory(ConfigurationLoadOptions options) =>
        Path.GetFullPath(options.WorkingDirectory ?? Directory.GetCurrentDirectory());

    private static string? IncludeRoot(ConfigurationLoadOptions options, Func<string, string?> environment, string workingDirectory)
    {
        var (root, from) = options.IncludeRoot is { } given ? (given, "the include root") : (environment(IncludeRootVariable), IncludeRootVariable);
        if (string.IsNullOrWhiteSpace(root))
        {
            return null;
        }

        if (ConfigPaths.Problem(root) is { } problem)
        {
            throw new ConfigurationException(new ConfigurationError("", null, $"{from} {problem}"));
        }

        return Path.GetFullPath(root, workingDirectory);
    }

    private static string ReadFile(string fullPath, string shownAs)
    {
        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(new ConfigurationError("", null, $"cannot read configuration file '{shownAs}': {e.Message}"));
        }
    }

    /// <summary>Embedded files have no directory to include from.</summary>
    private sealed class NoIncludes : IIncludeResolver
    {
        public static NoIncludes Instance { get; } = new();

        public IncludedText? TryRead(string name, string? includingSource) => null;

        public string Identify(IncludedText included) => included.Source;
    }
}
