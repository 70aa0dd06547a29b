using System.Globalization;
using Decentral.Hocon;

namespace Decentral.Configuration;

/// <summary>
/// Typed, range-checked reads of one configuration object that collect errors instead of stopping
/// at the first, so `config check` reports every problem at once. A read that fails records an error
/// naming the full key, its position and what was expected, marks the key as failed (so checks that
/// depend on it are skipped) and returns the given fallback.
/// </summary>
internal sealed partial class ConfigReader
{
    private readonly string _prefix;
    private readonly HashSet<string> _failed;

    public ConfigReader(Config config, string prefix = "")
        : this(config, prefix, [], new HashSet<string>(StringComparer.Ordinal))
    {
    }

    private ConfigReader(Config config, string prefix, List<ConfigurationError> errors, HashSet<string> failed)
    {
        Config = config;
        _prefix = prefix;
        Errors = errors;
        _failed = failed;
    }

    /// <summary>The object being read; keys passed to this reader are relative to it.</summary>
    public Config Config { get; }

    /// <summary>Errors of this reader and of every reader made by <see cref="Child"/>.</summary>
    public List<ConfigurationError> Errors { get; }

    /// <summary>A reader of the object <paramref name="config"/> found at <paramref name="key"/>, sharing this reader's errors.</summary>
    public ConfigReader Child(Config config, string key) => new(config, FullKey(key), Errors, _failed);

    /// <summary>The full path of <paramref name="key"/>; "" is the object being read itself.</summary>
    public string FullKey(string key) => _prefix.Length == 0 ? key : key.Length == 0 ? _prefix : $"{_prefix}.{key}";

    /// <summary>False when reading <paramref name="key"/> (or a key below it) failed.</summary>
    public bool Ok(string key)
    {
        var full = FullKey(key);
        return !_failed.Any(f => f == full || f.StartsWith(full + ".", StringComparison.Ordinal));
    }

    public ConfigOrigin? OriginOf(string key)
    {
        try
        {
            return Config.HasPathOrNull(key) ? Config.GetOrigin(key) : null;
        }
        catch (HoconException)
        {
            return null;
        }
    }

    /// <summary>Records a problem with <paramref name="key"/> at the position where it was written.</summary>
    public void Error(string key, string problem) => Error(key, OriginOf(key), problem);

    public void Error(string key, ConfigOrigin? origin, string problem)
    {
        var full = FullKey(key);
        _failed.Add(full);
        Errors.Add(new ConfigurationError(full, origin, problem));
    }

    /// <summary>Runs a getter; a HOCON type error becomes a recorded error and the fallback.</summary>
    public T Get<T>(string key, Func<Config, string, T> getter, T fallback)
    {
        try
        {
            return getter(Config, key);
        }
        catch (HoconException e)
        {
            var full = FullKey(key);
            _failed.Add(full);
            var path = e switch
            {
                HoconWrongTypeException w => Qualify(w.Path),
                HoconMissingException m => Qualify(m.Path),
                _ => full,
            };
            // A parent of the wrong type ("decentral = 5") fails every key below it the same way: drop the
            // key-specific part so the reader's de-duplication reports it once.
            var reason = path == full ? e.Reason : LookUpClause().Replace(e.Reason, "");
            Errors.Add(new ConfigurationError(path, e.Origin ?? OriginOf(key), reason));
            return fallback;
        }
    }

    public int Int(string key, int min, int max, int fallback = 0)
    {
        var value = Get(key, static (c, k) => c.GetInt(k), fallback);
        return Ok(key) && (value < min || value > max) ? OutOfRange(key, $"an integer from {Fmt(min)} to {Fmt(max)}", Fmt(value), fallback) : value;
    }

    public long Long(string key, long min, long max, long fallback = 0)
    {
        var value = Get(key, static (c, k) => c.GetLong(k), fallback);
        return Ok(key) && (value < min || value > max) ? OutOfRange(key, $"an integer from {Fmt(min)} to {Fmt(max)}", Fmt(value), fallback) : value;
    }

    /// <summary>A finite number ≥ <paramref name="min"/> (&gt; when <paramref name="exclusive"/>) and ≤ <paramref name="max"/>.</summary>
    public double Number(string key, double min, bool exclusive, double max = double.MaxValue, double fallback = 1)
    {
        var value = Get(key, static (c, k) => c.GetDouble(k), fallback);
        if (!Ok(key))
        {
            return value;
        }

        var tooSmall = exclusive ? value <= min : value < min;
        if (!double.IsFinite(value) || tooSmall || value > max)
        {
            var bound = exclusive ? $"a number greater than {Fmt(min)}" : $"a number of at least {Fmt(min)}";
            return OutOfRange(key, max < double.MaxValue ? $"{bound} and at most {Fmt(max)}" : bound, Fmt(value), fallback);
        }

        return value;
    }

    /// <summary>A duration (a number plus a unit; a bare number is milliseconds), positive or, when allowed, zero.</summary>
    public TimeSpan Duration(string key, bool allowZero, TimeSpan fallback)
    {
        var value = Get(key, static (c, k) => c.GetDuration(k), fallback);
        if (Ok(key) && (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero)))
        {
            return OutOfRange(key, allowZero ? "a duration of at least 0" : "a positive duration such as 10ms", Describe(key), fallback);
        }

        return value;
    }

    /// <summary>
    /// Paths in HOCON errors are relative to the root the <see cref="Config"/> was made from: already full for
    /// configs from GetConfig, relative for ones made with Config.FromObject.
    /// </summary>
    private string Qualify(string path) =>
        _prefix.Length == 0 || path.StartsWith(_prefix, StringComparison.Ordinal) ? path : FullKey(path);

    public string String(string key, string fallback = "") => Get(key, static (c, k) => c.GetString(k), fallback);

    /// <summary>A string, or null when the key is null (the reference's "not set").</summary>
    public string? OptionalString(string key) =>
        Get(key, static (c, k) => c.HasPath(k) ? c.GetString(k) : null, null);

    /// <summary>One of the named choices (case-insensitive); an unknown name lists them and suggests the closest.</summary>
    public T Choice<T>(string key, IReadOnlyList<(string Name, T Value)> choices, T fallback)
    {
        var text = String(key);
        if (!Ok(key))
        {
            return fallback;
        }

        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var names = choices.Select(c => c.Name).ToArray();
        Error(key, $"unknown value '{text}'; expected one of {string.Join(", ", names)}{KeySuggestions.DidYouMean(KeySuggestions.Closest(text, names))}");
        return fallback;
    }

    /// <summary>A string parsed by a library parser whose ArgumentException message says what was expected.</summary>
    /// <param name="names">Names to suggest the closest of when the text does not parse.</param>
    public T Parsed<T>(string key, Func<string, T> parse, T fallback, IReadOnlyList<string>? names = null)
    {
        var text = String(key);
        if (!Ok(key))
        {
            return fallback;
        }

        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            var suggestion = names is null ? null : KeySuggestions.Closest(text.Trim(), names);
            Error(key, FirstSentence(e.Message) + KeySuggestions.DidYouMean(suggestion));
            return fallback;
        }
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; the key already says what the value is.</summary>
    public static string FirstSentence(string message)
    {
        var i = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var text = i < 0 ? message : message[..i];
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).TrimEnd('\r', '.');
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" \(to look up '[^']*'\)")]
    private static partial System.Text.RegularExpressions.Regex LookUpClause();

    private T OutOfRange<T>(string key, string expected, string found, T fallback)
    {
        Error(key, $"expected {expected}, found {found}");
        return fallback;
    }

    private string Describe(string key) => Config.HasPathOrNull(key) ? Config.GetValue(key).Describe() : "nothing";

    private static string Fmt(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
