using Decentral.Hocon;

namespace Decentral.Configuration;

/// <summary>Options of <see cref="ConfigurationLoader.Load"/>; the defaults are the process's.</summary>
public sealed record ConfigurationLoadOptions
{
    /// <summary>Where relative paths from embedded files and <c>--set</c> are looked up; null = current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment lookup for <c>${?VAR}</c> substitutions (and <see cref="ConfigurationLoader.IncludeRootVariable"/>); null = the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>
    /// A directory whose tree every include may read besides the including file's own directory tree
    /// (<see cref="FileIncludeResolver.IncludeRoot"/>), relative to <see cref="WorkingDirectory"/>; null = the
    /// environment variable <see cref="ConfigurationLoader.IncludeRootVariable"/> when set, else none.
    /// </summary>
    public string? IncludeRoot { get; init; }

    /// <summary>Bounds on what resolving and rendering the configuration build; null = <see cref="HoconLimits.Default"/>.</summary>
    public HoconLimits? Limits { get; init; }
}

/// <summary>
/// A resolved configuration: the user's file (or the embedded default) with <c>--set</c> overrides,
/// on top of the embedded reference.conf. <see cref="Config"/> holds every key of the system.
/// </summary>
public sealed record LoadedConfiguration
{
    /// <summary>The merged, resolved configuration.</summary>
    public required Config Config { get; init; }

    /// <summary>reference.conf alone, resolved: the schema unknown keys are checked against.</summary>
    public required Config Reference { get; init; }

    /// <summary>The configuration file as given on the command line, or <see cref="EmbeddedConfigs.LocalSource"/>.</summary>
    public required string SourceName { get; init; }

    /// <summary>True when no file was given and the embedded default was used.</summary>
    public bool IsEmbeddedDefault => EmbeddedConfigs.IsEmbedded(SourceName);

    /// <summary>Absolute directory that relative paths from embedded files and overrides are resolved against.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// Where a relative data path written at <paramref name="origin"/> is searched (each directory, then its
    /// parents): the writing file's directory; for embedded files and overrides the working directory and
    /// then the configuration file's directory, so a scenario file relying on reference.conf's data works
    /// from any working directory.
    /// </summary>
    public IReadOnlyList<string> SearchStartsFor(ConfigOrigin? origin)
    {
        if (DirectoryOf(origin) is { } directory)
        {
            return [directory];
        }

        // The embedded default's data also ships beside the binary (an installed tool has no checkout).
        return IsEmbeddedDefault
            ? [WorkingDirectory, AppContext.BaseDirectory]
            : [WorkingDirectory, Path.GetDirectoryName(Path.GetFullPath(SourceName, WorkingDirectory))!];
    }

    /// <summary>
    /// The directory a relative path written at <paramref name="origin"/> is relative to: the directory of
    /// the file that wrote it, or null when it came from an embedded file, an override or the
    /// environment (then <see cref="WorkingDirectory"/> applies).
    /// </summary>
    public string? DirectoryOf(ConfigOrigin? origin)
    {
        if (origin is null || origin.Line <= 0 || EmbeddedConfigs.IsEmbedded(origin.Source)
            || origin.Source.StartsWith("--set[", StringComparison.Ordinal) || origin.Source == ConfigOrigin.StringSource)
        {
            return null;
        }

        return Path.GetDirectoryName(Path.GetFullPath(origin.Source, WorkingDirectory));
    }
}
