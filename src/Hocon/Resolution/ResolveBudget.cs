using System.Globalization;

namespace Decentral.Hocon.Resolution;

/// <summary>
/// <see cref="HoconLimits"/> during one resolution. Two things are bounded: every string, list and object
/// the resolver builds (its own size, and its size with the values substitutions share into it counted
/// once per place, which is what rendering walks), and the total the resolution builds, because merging
/// objects copies their fields and a lookup of a merged object merges again, so many references to one
/// large object would otherwise cost time and memory quadratic in the text. Strings and lists are
/// checked before they are built, objects right after (their fields exist already).
/// </summary>
/// <param name="field">The key whose value is being built, to name in errors (the root: <see cref="HoconPath.Root"/>).</param>
internal sealed class ResolveBudget(HoconLimits limits, Func<HoconPath> field)
{
    private long _characters;
    private long _elements;

    /// <summary>Before a concatenation joins <paramref name="length"/> characters into one string.</summary>
    public void String(long length, ConfigOrigin origin)
    {
        if (length > limits.MaxStringLength)
        {
            throw TooLarge(origin, $"a value concatenation here would build a string of {N(length)} characters, more than the limit of {N(limits.MaxStringLength)} ({nameof(HoconLimits)}.{nameof(HoconLimits.MaxStringLength)})");
        }

        _characters += length;
        if (_characters > limits.MaxCharacters)
        {
            throw TooLarge(origin, $"resolving would build more than {N(limits.MaxCharacters)} characters of strings by concatenation in all ({nameof(HoconLimits)}.{nameof(HoconLimits.MaxCharacters)}), the last of them for this value");
        }
    }

    /// <summary>
    /// Before a list or object of <paramref name="count"/> elements is built whose elements and characters,
    /// shared values counted once per place, are <paramref name="elements"/> and <paramref name="characters"/>.
    /// </summary>
    public void Container(long count, long elements, long characters, ConfigOrigin origin)
    {
        if (elements > limits.MaxElements)
        {
            throw TooLarge(origin, $"this value would hold {N(elements)} list elements and object fields (values that substitutions put in several places counted once per place), more than the limit of {N(limits.MaxElements)} ({nameof(HoconLimits)}.{nameof(HoconLimits.MaxElements)})");
        }

        if (characters > limits.MaxCharacters)
        {
            throw TooLarge(origin, $"this value would hold {N(characters)} characters of strings and keys (values that substitutions put in several places counted once per place), more than the limit of {N(limits.MaxCharacters)} ({nameof(HoconLimits)}.{nameof(HoconLimits.MaxCharacters)})");
        }

        _elements += count;
        if (_elements > limits.MaxElements)
        {
            throw TooLarge(origin, $"resolving would build more than {N(limits.MaxElements)} list elements and object fields in all ({nameof(HoconLimits)}.{nameof(HoconLimits.MaxElements)}; merging objects copies their fields), the last of them for this value");
        }
    }

    /// <summary>A list or object just built, checked as <see cref="Container"/> checks one before it is built.</summary>
    public T Built<T>(T value)
        where T : HoconValue
    {
        if (value is HoconObject obj)
        {
            CheckParts(obj);
        }

        var count = value switch
        {
            HoconList list => list.Count,
            HoconObject o => o.Count,
            _ => 0,
        };
        Container(count, value.Elements, value.Characters, value.Origin);
        return value;
    }

    /// <summary>
    /// An object over a limit whose fields are each within it (the whole configuration, typically) is
    /// reported at its largest field: that key and where it was written say what to look at, where
    /// the object's own position (its first brace, or nothing for a merged root) would not.
    /// </summary>
    private void CheckParts(HoconObject obj)
    {
        var byElements = obj.Elements > limits.MaxElements;
        if (obj.Count == 0 || !(byElements || obj.Characters > limits.MaxCharacters))
        {
            return;
        }

        var (key, largest) = obj.MaxBy(f => byElements ? f.Value.Elements : f.Key.Length + f.Value.Characters);
        var where = field();
        var (total, part, limit, unit, name) = byElements
            ? (obj.Elements, largest.Elements, limits.MaxElements, "list elements and object fields", nameof(HoconLimits.MaxElements))
            : (obj.Characters, key.Length + largest.Characters, limits.MaxCharacters, "characters of strings and keys", nameof(HoconLimits.MaxCharacters));
        throw new HoconLimitException(
            where.Append(key).ToString(),
            $"{(where.IsRoot ? "the configuration" : $"the object {where}")} would hold {N(total)} {unit} (values that substitutions put in several places "
            + $"counted once per place), more than the limit of {N(limit)} ({nameof(HoconLimits)}.{name}); the largest part is this value, with {N(part)}",
            largest.Origin);
    }

    private HoconLimitException TooLarge(ConfigOrigin origin, string problem) => new(field().ToString(), problem, origin);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
