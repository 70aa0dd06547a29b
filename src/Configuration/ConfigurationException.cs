using Decentral.Hocon;

namespace Decentral.Configuration;

/// <summary>
/// One problem with a configuration: the key it concerns, where that key was written (when known)
/// and what was expected. Reads "file:line:column: key: problem".
/// </summary>
public sealed record ConfigurationError(string Key, ConfigOrigin? Origin, string Problem)
{
    public override string ToString()
    {
        var where = Origin is null ? "" : Origin + ": ";
        return string.IsNullOrEmpty(Key) ? where + Problem : $"{where}{Key}: {Problem}";
    }
}

/// <summary>
/// The one exception configuration loading and validation throws: a malformed file, an unknown key,
/// a wrong type, an out-of-range value, a missing data file, a fault naming an unknown node. The
/// CLI maps it to exit code 2 and prints <see cref="Exception.Message"/> (one line per error).
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public ConfigurationException(ConfigurationError error)
        : this([error])
    {
    }

    /// <summary>Every problem found, in the order the keys were read.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }

    /// <summary>A HOCON syntax, include or substitution error, kept with its position.</summary>
    public static ConfigurationException FromHocon(HoconException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            HoconWrongTypeException w => new(new ConfigurationError(w.Path, w.Origin, w.Reason)),
            HoconMissingException m => new(new ConfigurationError(m.Path, m.Origin, m.Reason)),
            HoconLimitException l => new(new ConfigurationError(l.Path, l.Origin, l.Reason)),
            _ => new(new ConfigurationError("", e.Origin, e.Reason)),
        };
    }

    private static string Format(IReadOnlyList<ConfigurationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration exception needs at least one error.", nameof(errors));
        }

        return string.Join(Environment.NewLine, errors);
    }
}
