using Decentral.Hocon.Parsing;

namespace Decentral.Hocon;

/// <summary>Options for <see cref="HoconParser"/>.</summary>
public sealed record HoconParseOptions
{
    /// <summary>Resolve substitutions after parsing (default). Turn off to combine sources first.</summary>
    public bool Resolve { get; init; } = true;

    /// <summary>Environment lookup for substitutions not found in the config; default: the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Finds included files; default: <see cref="FileIncludeResolver.Default"/>.</summary>
    public IIncludeResolver? IncludeResolver { get; init; }

    /// <summary>Bounds on what resolving builds; default: <see cref="HoconLimits.Default"/>.</summary>
    public HoconLimits? Limits { get; init; }
}

/// <summary>Entry points: HOCON text or files to <see cref="Config"/>.</summary>
public static class HoconParser
{
    /// <summary>
    /// The deepest nesting of objects and lists a configuration may have, the root object being level 1
    /// (a dotted key <c>a.b.c</c> nests one level per element after the first, <c>+=</c> one for its list).
    /// Deeper text is a <see cref="HoconParseException"/> at the bracket (or key) that goes too deep, and
    /// deeper values built by substitution are a <see cref="HoconResolveException"/>: parsing, resolving,
    /// rendering and the configuration provider all recurse per level, and unbounded recursion would
    /// end the process with a stack overflow instead of an error.
    /// </summary>
    public const int MaxNestingDepth = 512;

    /// <summary>
    /// Parses HOCON (or JSON) text whose root is an object. Errors are <see cref="HoconParseException"/>
    /// and <see cref="HoconResolveException"/> with "file:line:column" origins.
    /// </summary>
    /// <param name="fileName">Shown in origins and used to locate relative includes.</param>
    public static Config Parse(string text, string? fileName = null, IIncludeResolver? includeResolver = null, HoconParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new HoconParseOptions();
        var resolver = includeResolver ?? options.IncludeResolver ?? FileIncludeResolver.Default;
        var config = Config.Unresolved(Parser.ParseDocument(text, fileName, resolver));
        return options.Resolve ? config.Resolve(options.Environment, options.Limits) : config;
    }

    /// <summary>Parses without resolving substitutions, for combining with <see cref="Config.WithFallback"/>.</summary>
    public static Config ParseUnresolved(string text, string? fileName = null, IIncludeResolver? includeResolver = null) =>
        Parse(text, fileName, includeResolver, new HoconParseOptions { Resolve = false });

    /// <summary>Reads and parses a file; includes are relative to its directory.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Config ParseFile(string path, HoconParseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"configuration file '{path}' does not exist", path);
        }

        return Parse(File.ReadAllText(path), path, null, options);
    }
}
