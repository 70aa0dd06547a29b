using Decentral.Hocon;

namespace Decentral.Configuration;

/// <summary>
/// Finds keys under <c>decentral</c> that reference.conf does not define: each is an error naming the
/// key, where it was written and the closest known key. Sections marked open in reference.conf
/// (<see cref="OpenSections"/>) are checked by the commands that read them.
/// </summary>
public static class SchemaCheck
{
    /// <summary>The root every checked key lives under.</summary>
    public const string Root = "decentral";

    /// <summary>Sections whose keys reference.conf does not enumerate.</summary>
    public static IReadOnlySet<string> OpenSections { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "decentral.remote.clusters",
        "decentral.experiment",
    };

    /// <summary>The paths of a reference's section, collected once per reference (the same one for every load).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HoconObject, List<string>> KnownPaths = [];

    /// <summary>Every unknown key of <paramref name="config"/> (merged with reference.conf) compared with <paramref name="reference"/>.</summary>
    public static IReadOnlyList<ConfigurationError> UnknownKeys(Config config, Config reference)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(reference);
        var errors = new List<ConfigurationError>();
        if (config.Root.TryGetValue(Root, out var value) && value is HoconObject section
            && reference.Root.TryGetValue(Root, out var known) && known is HoconObject knownSection)
        {
            var knownPaths = KnownPaths.GetValue(knownSection, static known =>
            {
                var paths = new List<string>();
                CollectPaths(Root, known, paths);
                return paths;
            });
            Walk(Root, section, knownSection, knownPaths, errors);
        }

        return errors;
    }

    private static void Walk(string path, HoconObject actual, HoconObject known, List<string> knownPaths, List<ConfigurationError> errors)
    {
        foreach (var (key, value) in actual)
        {
            var child = Join(path, key);
            if (!known.TryGetValue(key, out var expected))
            {
                var suggestion = KeySuggestions.ClosestPath(child, knownPaths);
                errors.Add(new ConfigurationError(child, value.Origin, "unknown key" + KeySuggestions.DidYouMean(suggestion)));
                continue;
            }

            // A leaf where reference.conf has an object (or the reverse) is a type error the settings reader reports.
            if (!OpenSections.Contains(child) && value is HoconObject nested && expected is HoconObject nestedKnown)
            {
                Walk(child, nested, nestedKnown, knownPaths, errors);
            }
        }
    }

    private static void CollectPaths(string path, HoconObject obj, List<string> into)
    {
        foreach (var (key, value) in obj)
        {
            var child = Join(path, key);
            into.Add(child);
            if (value is HoconObject nested && !OpenSections.Contains(child))
            {
                CollectPaths(child, nested, into);
            }
        }
    }

    /// <summary>Keys with dots or spaces are quoted so the path parses back (HOCON path syntax).</summary>
    internal static string Join(string path, string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? $"{path}.{key}" : $"{path}.\"{key}\"";
}
