using System.Globalization;
using Decentral.Hocon.Parsing;
using Decentral.Hocon.Resolution;

namespace Decentral.Hocon;

/// <summary>
/// Typed getters with HOCON.md's automatic conversions (number/boolean to string, numeric string to
/// number, "yes"/"on"/... to boolean, numerically-indexed object to list). Null converts to nothing.
/// Errors read "full.path: expected ..., found ... (file:line:column)".
/// </summary>
public sealed partial class Config
{
    public string GetString(string path) => AsString(Parse(path), GetValue(path));

    public int GetInt(string path)
    {
        var p = Parse(path);
        var value = GetValue(path);
        var number = AsLong(p, value);
        return number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw new HoconWrongTypeException(FullPath(p), $"expected a 32-bit integer, found {value.Describe()} (out of range)", value.Origin);
    }

    public long GetLong(string path) => AsLong(Parse(path), GetValue(path));

    public double GetDouble(string path) => AsDouble(Parse(path), GetValue(path));

    public bool GetBoolean(string path) => AsBoolean(Parse(path), GetValue(path));

    /// <summary>A duration: a number is milliseconds; a string is a number plus ns/us/ms/s/m/h/d (or long forms).</summary>
    public TimeSpan GetDuration(string path)
    {
        var p = Parse(path);
        var value = GetValue(path);
        return HoconUnits.TryParseDuration(UnitText(p, value, "duration"), out var error)
            ?? throw new HoconWrongTypeException(FullPath(p), error!, value.Origin);
    }

    /// <summary>A duration in nanoseconds (exact where <see cref="TimeSpan"/> would truncate to 100 ns).</summary>
    public long GetNanoseconds(string path)
    {
        var p = Parse(path);
        var value = GetValue(path);
        return HoconUnits.TryParseNanoseconds(UnitText(p, value, "duration"), out var error)
            ?? throw new HoconWrongTypeException(FullPath(p), error!, value.Origin);
    }

    /// <summary>A size in bytes: a number is bytes; a string is a number plus B/kB/K/KiB/MB/M/... (HOCON.md).</summary>
    public long GetBytes(string path)
    {
        var p = Parse(path);
        var value = GetValue(path);
        return HoconUnits.TryParseBytes(UnitText(p, value, "size in bytes"), out var error)
            ?? throw new HoconWrongTypeException(FullPath(p), error!, value.Origin);
    }

    /// <summary>The list at <paramref name="path"/> (an object with numeric keys is converted).</summary>
    public HoconList GetList(string path) => AsList(Parse(path), GetValue(path));

    public IReadOnlyList<string> GetStringList(string path) => MapList(path, AsString);

    public IReadOnlyList<int> GetIntList(string path) => MapList(path, (p, v) =>
    {
        var n = AsLong(p, v);
        return n is >= int.MinValue and <= int.MaxValue
            ? (int)n
            : throw new HoconWrongTypeException(FullPath(p), $"expected a 32-bit integer, found {v.Describe()} (out of range)", v.Origin);
    });

    public IReadOnlyList<long> GetLongList(string path) => MapList(path, AsLong);

    public IReadOnlyList<double> GetDoubleList(string path) => MapList(path, AsDouble);

    public IReadOnlyList<bool> GetBooleanList(string path) => MapList(path, AsBoolean);

    /// <summary>A list of objects, each as a config (e.g. a fault schedule).</summary>
    public IReadOnlyList<Config> GetConfigList(string path) => MapList(path, (p, v) =>
    {
        var obj = As<HoconObject>(p, v, "an object");
        return new Config([new AstValue(obj)], obj, _prefix.Append(p));
    });

    private T[] MapList<T>(string path, Func<HoconPath, HoconValue, T> convert)
    {
        var p = Parse(path);
        var list = AsList(p, GetValue(path));
        var result = new T[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            result[i] = convert(p.Append(i.ToString(CultureInfo.InvariantCulture)), list[i]);
        }

        return result;
    }

    private HoconList AsList(HoconPath path, HoconValue value) => value switch
    {
        HoconList list => list,
        HoconObject obj when NumericKeys.TryToList(obj) is { } converted => converted,
        _ => throw new HoconWrongTypeException(FullPath(path), $"expected a list, found {value.Describe()}", value.Origin),
    };

    private string AsString(HoconPath path, HoconValue value) => value switch
    {
        HoconScalar { Type: HoconValueType.Number } n when !NumberSyntax.IsJsonNumber(n.Text) =>
            n.AsDouble().ToString("R", CultureInfo.InvariantCulture),
        HoconScalar { Type: not HoconValueType.Null } s => s.Text,
        _ => throw new HoconWrongTypeException(FullPath(path), $"expected a string, found {value.Describe()}", value.Origin),
    };

    /// <summary>The number's text, from a number or a string that holds one.</summary>
    private string NumberText(HoconPath path, HoconValue value) => value switch
    {
        HoconScalar { Type: HoconValueType.Number } n => n.Text,
        HoconScalar { Type: HoconValueType.String } s when NumberSyntax.IsNumber(s.Text.Trim()) => s.Text.Trim(),
        _ => throw new HoconWrongTypeException(FullPath(path), $"expected a number, found {value.Describe()}", value.Origin),
    };

    private long AsLong(HoconPath path, HoconValue value)
    {
        var text = NumberText(path, value);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        var real = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (real == Math.Floor(real) && real >= long.MinValue && real < long.MaxValue)
        {
            return (long)real;
        }

        var problem = real == Math.Floor(real) ? " (out of range)" : "";
        throw new HoconWrongTypeException(FullPath(path), $"expected an integer, found {value.Describe()}{problem}", value.Origin);
    }

    private double AsDouble(HoconPath path, HoconValue value)
    {
        var number = double.Parse(NumberText(path, value), NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(number)
            ? number
            : throw new HoconWrongTypeException(FullPath(path), $"expected a number, found {value.Describe()} (out of range)", value.Origin);
    }

    private bool AsBoolean(HoconPath path, HoconValue value) => value switch
    {
        HoconScalar { Type: HoconValueType.Boolean } b => b.Text == "true",
        HoconScalar { Type: HoconValueType.String, Text: "true" or "yes" or "on" } => true,
        HoconScalar { Type: HoconValueType.String, Text: "false" or "no" or "off" } => false,
        _ => throw new HoconWrongTypeException(
            FullPath(path), $"expected a boolean (true/false, yes/no, on/off), found {value.Describe()}", value.Origin),
    };

    private string UnitText(HoconPath path, HoconValue value, string what) => value switch
    {
        HoconScalar { Type: HoconValueType.Number or HoconValueType.String } s => s.Text,
        _ => throw new HoconWrongTypeException(FullPath(path), $"expected a {what}, found {value.Describe()}", value.Origin),
    };
}
