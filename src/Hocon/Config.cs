using Decentral.Hocon.Parsing;
using Decentral.Hocon.Rendering;
using Decentral.Hocon.Resolution;

namespace Decentral.Hocon;

/// <summary>
/// An immutable configuration: a root object plus typed getters addressed by path expressions.
///
/// Like Typesafe Config, a config may be unresolved (substitutions pending): parse several sources
/// unresolved, combine them with <see cref="WithFallback"/>, then <see cref="Resolve"/> once so
/// substitutions see the merged tree. Getters require a resolved config.
/// </summary>
public sealed partial class Config
{
    private readonly IReadOnlyList<AstNode> _definitions;
    private readonly HoconObject? _root;
    private readonly HoconPath _prefix;

    private Config(IReadOnlyList<AstNode> definitions, HoconObject? root, HoconPath prefix)
    {
        _root = root?.AsRoot();
        _definitions = _root is null ? definitions : [new AstValue(_root)];
        _prefix = prefix;
    }

    /// <summary>An empty, resolved config.</summary>
    public static Config Empty { get; } = FromObject(HoconObject.Empty(ConfigOrigin.Named("empty config")));

    /// <summary>A resolved config whose root is <paramref name="root"/>.</summary>
    public static Config FromObject(HoconObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new Config([new AstValue(root)], root, HoconPath.Root);
    }

    internal static Config Unresolved(AstObject root) => new([root], null, HoconPath.Root);

    /// <summary>False while substitutions are pending; call <see cref="Resolve"/>.</summary>
    public bool IsResolved => _root is not null;

    /// <summary>The resolved root object.</summary>
    /// <exception cref="InvalidOperationException">The config is not resolved.</exception>
    public HoconObject Root => _root ?? throw new InvalidOperationException(
        "the configuration has unresolved substitutions; call Resolve() (after any WithFallback) before reading values");

    /// <summary>The top-level keys.</summary>
    public IEnumerable<string> Keys => Root.Keys;

    /// <summary>
    /// Resolves substitutions. Unresolvable ones raise <see cref="HoconResolveException"/> naming the
    /// substitution and where it was written.
    /// </summary>
    /// <param name="environment">Looks up environment variables for substitutions not found in the config; default: the process environment.</param>
    /// <param name="limits">Bounds on what resolution builds; default: <see cref="HoconLimits.Default"/>.</param>
    /// <exception cref="HoconLimitException">A value would exceed <paramref name="limits"/>.</exception>
    public Config Resolve(Func<string, string?>? environment = null, HoconLimits? limits = null)
    {
        if (_root is not null)
        {
            return this;
        }

        limits ??= HoconLimits.Default;
        limits.Validate();
        var root = Resolver.Resolve(_definitions, environment ?? Environment.GetEnvironmentVariable, _definitions[^1].Origin, limits);
        return new Config([new AstValue(root)], root, _prefix);
    }

    /// <summary>
    /// This config on top of <paramref name="fallback"/>: keys from both, objects merged, this
    /// config's values winning. Merging happens as if both were one file, and substitutions are
    /// resolved over the merged tree (resolve after combining).
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        var merged = new Config([.. fallback._definitions, .. _definitions], null, HoconPath.Root);
        return IsResolved && fallback.IsResolved ? merged.Resolve(static _ => null) : merged;
    }

    /// <summary>
    /// Applies command-line style overrides such as <c>a.b=3</c> or <c>a.list=[1,2]</c>: each value is
    /// parsed as HOCON, overrides win over this config (later ones over earlier ones), and the result
    /// is resolved. Apply overrides to an unresolved config when substitutions elsewhere should see
    /// the overridden values.
    /// </summary>
    /// <exception cref="HoconParseException">An assignment is malformed; the origin is <c>--set[i]</c> (1-based).</exception>
    public Config WithOverrides(IEnumerable<string> assignments, Func<string, string?>? environment = null, HoconLimits? limits = null)
    {
        var overrides = ParseOverrides(assignments);
        // No overrides: no empty layer on top, whose origin ("empty config") would become the root's.
        return (ReferenceEquals(overrides, Empty) ? this : overrides.WithFallback(this)).Resolve(environment, limits);
    }

    /// <summary>
    /// Parses <c>key=value</c> assignments (values are HOCON) into one unresolved config, later
    /// assignments winning, for use as the top layer: <c>overrides.WithFallback(app).Resolve()</c>.
    /// </summary>
    /// <exception cref="HoconParseException">An assignment is malformed; the origin is <c>--set[i]</c> (1-based).</exception>
    public static Config ParseOverrides(IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var definitions = new List<AstNode>();
        var index = 0;
        foreach (var assignment in assignments)
        {
            index++;
            ArgumentNullException.ThrowIfNull(assignment, nameof(assignments));
            var source = $"{OverrideSourcePrefix}{index}]";
            if (string.IsNullOrWhiteSpace(assignment))
            {
                throw new HoconParseException("empty override: expected key=value", new ConfigOrigin(source, 1, 1));
            }

            definitions.Add(Parser.ParseDocument(assignment, source, new FileIncludeResolver()));
        }

        return definitions.Count == 0 ? Empty : new Config(definitions, null, HoconPath.Root);
    }

    private const string OverrideSourcePrefix = "--set[";

    /// <summary>
    /// A string setting that names a file: absolute paths are returned as they are; relative ones
    /// are taken relative to the directory of the file the value was written in, or to the current
    /// directory for values from text without a file name, overrides or the environment.
    /// </summary>
    /// <exception cref="HoconWrongTypeException">The string holds a character no path may hold (NUL).</exception>
    public string GetFilePath(string path)
    {
        var value = GetString(path);
        var bad = value.AsSpan().IndexOfAny(Path.GetInvalidPathChars());
        if (bad >= 0)
        {
            throw new HoconWrongTypeException(
                FullPath(Parse(path)), $"expected a file path, found a string with the character U+{(int)value[bad]:X4}, which no path may hold", GetOrigin(path));
        }

        if (Path.IsPathRooted(value))
        {
            return value;
        }

        var origin = GetOrigin(path);
        var fromFile = origin.Line > 0 && origin.Source != ConfigOrigin.StringSource
            && !origin.Source.StartsWith(OverrideSourcePrefix, StringComparison.Ordinal);
        var directory = fromFile ? Path.GetDirectoryName(Path.GetFullPath(origin.Source)) : null;
        return Path.GetFullPath(directory is null ? value : Path.Combine(directory, value));
    }

    /// <summary>True when <paramref name="path"/> has a value other than null.</summary>
    public bool HasPath(string path) => Find(Parse(path), throwIfMissing: false) is { Type: not HoconValueType.Null };

    /// <summary>True when <paramref name="path"/> has a value, null included.</summary>
    public bool HasPathOrNull(string path) => Find(Parse(path), throwIfMissing: false) is not null;

    /// <summary>The value at <paramref name="path"/> (possibly null-typed).</summary>
    /// <exception cref="HoconMissingException">Nothing is set at the path.</exception>
    public HoconValue GetValue(string path) => Find(Parse(path), throwIfMissing: true)!;

    /// <summary>Where the value at <paramref name="path"/> was written (file, line, column).</summary>
    public ConfigOrigin GetOrigin(string path) => GetValue(path).Origin;

    /// <summary>The object at <paramref name="path"/> as a config; error messages keep the full path.</summary>
    public Config GetConfig(string path)
    {
        var p = Parse(path);
        var obj = As<HoconObject>(p, Find(p, throwIfMissing: true)!, "an object");
        return new Config([new AstValue(obj)], obj, _prefix.Append(p));
    }

    /// <summary>The object at <paramref name="path"/>.</summary>
    public HoconObject GetObject(string path)
    {
        var p = Parse(path);
        return As<HoconObject>(p, Find(p, throwIfMissing: true)!, "an object");
    }

    /// <summary>
    /// Every non-object value with its path (relative to this config), depth first in file order;
    /// lists are leaves. Useful to check for unknown keys.
    /// </summary>
    public IEnumerable<KeyValuePair<string, HoconValue>> Entries()
    {
        var result = new List<KeyValuePair<string, HoconValue>>();
        Collect(HoconPath.Root, Root, result);
        return result;
    }

    private static void Collect(HoconPath path, HoconObject obj, List<KeyValuePair<string, HoconValue>> into)
    {
        foreach (var (key, value) in obj)
        {
            var child = path.Append(key);
            if (value is HoconObject nested)
            {
                Collect(child, nested, into);
            }
            else
            {
                into.Add(new(child.ToString(), value));
            }
        }
    }

    /// <summary>The resolved tree as JSON (System.Text.Json compatible; numbers as numbers).</summary>
    /// <param name="limits">Bounds the output (<see cref="HoconLimits.MaxRenderedLength"/>); default: <see cref="HoconLimits.Default"/>.</param>
    /// <exception cref="HoconLimitException">The JSON would be longer than the limit; names the key being written.</exception>
    public string ToJson(bool indented = true, HoconLimits? limits = null) =>
        JsonRenderer.Render(Root, indented, RenderLimit(limits), _prefix);

    /// <summary>The resolved tree as HOCON text that parses back to the same values.</summary>
    /// <param name="withOrigins">Precede each field with a comment naming where it was written.</param>
    /// <param name="limits">Bounds the output (<see cref="HoconLimits.MaxRenderedLength"/>); default: <see cref="HoconLimits.Default"/>.</param>
    /// <exception cref="HoconLimitException">The text would be longer than the limit; names the key being written.</exception>
    public string ToHocon(bool withOrigins = false, HoconLimits? limits = null) =>
        HoconRenderer.Render(Root, withOrigins, RenderLimit(limits), _prefix);

    private static long RenderLimit(HoconLimits? limits)
    {
        limits ??= HoconLimits.Default;
        limits.Validate();
        return limits.MaxRenderedLength;
    }

    /// <inheritdoc />
    public override string ToString() => IsResolved ? ToHocon() : "Config (unresolved)";

    private static HoconPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return HoconPath.Parse(path);
    }

    private string FullPath(HoconPath path) => _prefix.Append(path).ToString();

    /// <summary>Walks the resolved tree; when reading, a non-object on the way is a type error naming that prefix.</summary>
    private HoconValue? Find(HoconPath path, bool throwIfMissing)
    {
        HoconValue current = Root;
        for (var i = 0; i < path.Length; i++)
        {
            if (current is not HoconObject obj)
            {
                if (!throwIfMissing)
                {
                    return null;
                }

                throw new HoconWrongTypeException(
                    FullPath(path.Prefix(i)), $"expected an object (to look up '{path.Elements[i]}'), found {current.Describe()}", current.Origin);
            }

            if (!obj.TryGetValue(path.Elements[i], out var next))
            {
                return throwIfMissing ? throw new HoconMissingException(FullPath(path), "no setting at this path") : null;
            }

            current = next;
        }

        return current;
    }

    private T As<T>(HoconPath path, HoconValue value, string expected)
        where T : HoconValue =>
        value as T ?? throw new HoconWrongTypeException(FullPath(path), $"expected {expected}, found {value.Describe()}", value.Origin);
}
