using Microsoft.Extensions.Configuration;

namespace Decentral.Hocon;

/// <summary>
/// Where a <see cref="HoconConfigurationProvider"/> reads from: a file path, or an already built <see cref="Config"/>.
/// </summary>
public sealed class HoconConfigurationSource : IConfigurationSource
{
    /// <summary>A HOCON file; relative paths are taken from the current directory.</summary>
    public string? Path { get; init; }

    /// <summary>A config to expose (used when <see cref="Path"/> is null); resolved on load if needed.</summary>
    public Config? Config { get; init; }

    /// <summary>A missing file is then an empty configuration instead of an error.</summary>
    public bool Optional { get; init; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconConfigurationProvider(this);
}

/// <summary>
/// Exposes a HOCON config to Microsoft.Extensions.Configuration: <c>a.b.c</c> becomes <c>a:b:c</c>,
/// list elements <c>a:b:0</c>, so <c>GetSection("decentral:sgd").Get&lt;SgdOptions&gt;()</c> binds.
/// Scalars keep their HOCON text (numbers as written, booleans "true"/"false"); null and empty
/// objects or lists map to a null value, as the JSON provider does.
///
/// Keys keep their HOCON spelling, but lookups also match with hyphens ignored, because HOCON keys
/// are hyphen-separated (<c>learning-rate</c>) while options properties are PascalCase
/// (<c>LearningRate</c>) and the binder matches names only case-insensitively.
/// </summary>
public sealed class HoconConfigurationProvider(HoconConfigurationSource source) : ConfigurationProvider
{
    private Dictionary<string, string> _byLooseKey = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool TryGet(string key, out string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (base.TryGet(key, out value))
        {
            return true;
        }

        if (_byLooseKey.TryGetValue(Loose(key), out var original))
        {
            return base.TryGet(original, out value);
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        ArgumentNullException.ThrowIfNull(earlierKeys);
        var results = new List<string>();
        var parent = parentPath is null ? [] : parentPath.Split(ConfigurationPath.KeyDelimiter);
        foreach (var key in Data.Keys)
        {
            var segments = key.Split(ConfigurationPath.KeyDelimiter);
            if (segments.Length > parent.Length
                && parent.Select(Loose).SequenceEqual(segments.Take(parent.Length).Select(Loose), StringComparer.OrdinalIgnoreCase))
            {
                results.Add(segments[parent.Length]);
            }
        }

        results.AddRange(earlierKeys);
        results.Sort(ConfigurationKeyComparer.Instance.Compare);
        return results;
    }

    private static string Loose(string key) => key.Replace("-", "", StringComparison.Ordinal);

    /// <inheritdoc />
    public override void Load()
    {
        ArgumentNullException.ThrowIfNull(source);
        Config config;
        if (source.Path is not null)
        {
            var full = System.IO.Path.GetFullPath(source.Path);
            if (!File.Exists(full) && source.Optional)
            {
                Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                _byLooseKey = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                return;
            }

            config = HoconParser.ParseFile(full);
        }
        else
        {
            config = (source.Config ?? throw new InvalidOperationException("HoconConfigurationSource needs a Path or a Config")).Resolve();
        }

        Data = Flatten(config.Root);
        _byLooseKey = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in Data.Keys)
        {
            _byLooseKey.TryAdd(Loose(key), key);
        }
    }

    /// <summary>The flat key/value view of <paramref name="root"/> that the provider serves.</summary>
    public static Dictionary<string, string?> Flatten(HoconObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in root)
        {
            Add(data, key, value);
        }

        return data;
    }

    private static void Add(Dictionary<string, string?> data, string key, HoconValue value)
    {
        switch (value)
        {
            case HoconObject { Count: 0 } or HoconList { Count: 0 }:
                data[key] = null;
                break;
            case HoconObject obj:
                foreach (var (child, v) in obj)
                {
                    Add(data, ConfigurationPath.Combine(key, child), v);
                }

                break;
            case HoconList list:
                for (var i = 0; i < list.Count; i++)
                {
                    Add(data, ConfigurationPath.Combine(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), list[i]);
                }

                break;
            case HoconScalar { Type: HoconValueType.Null }:
                data[key] = null;
                break;
            default:
                data[key] = ((HoconScalar)value).Text;
                break;
        }
    }
}

/// <summary><c>AddHocon</c> for <see cref="IConfigurationBuilder"/>.</summary>
public static class HoconConfigurationExtensions
{
    /// <summary>Adds a HOCON file (resolved on load; includes relative to the file).</summary>
    public static IConfigurationBuilder AddHocon(this IConfigurationBuilder builder, string path, bool optional = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.Add(new HoconConfigurationSource { Path = path, Optional = optional });
    }

    /// <summary>Adds an already parsed config (resolved on load if it is not yet).</summary>
    public static IConfigurationBuilder AddHocon(this IConfigurationBuilder builder, Config config)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(config);
        return builder.Add(new HoconConfigurationSource { Config = config });
    }
}
