using System.Globalization;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon;

/// <summary>
/// A string, number, boolean or null. Numbers keep the text they were written with, because
/// value concatenation and path expressions must use the original spelling (HOCON.md).
/// </summary>
public sealed class HoconScalar : HoconValue
{
    private const int MaxDescribedLength = 60;

    private HoconScalar(HoconValueType type, string text, ConfigOrigin origin)
        : base(origin)
    {
        Type = type;
        Text = text;
    }

    /// <inheritdoc />
    public override HoconValueType Type { get; }

    /// <summary>The string itself, the number as written, "true"/"false", or "null".</summary>
    public string Text { get; }

    /// <inheritdoc />
    internal override long Characters => Text.Length;

    public static HoconScalar String(string value, ConfigOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(origin);
        return new HoconScalar(HoconValueType.String, value, origin);
    }

    /// <summary>A number written as <paramref name="text"/>, which must follow the JSON number grammar.</summary>
    public static HoconScalar Number(string text, ConfigOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!NumberSyntax.IsNumber(text))
        {
            throw new ArgumentException($"'{text}' is not a number", nameof(text));
        }

        return new HoconScalar(HoconValueType.Number, text, origin);
    }

    public static HoconScalar Boolean(bool value, ConfigOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return new HoconScalar(HoconValueType.Boolean, value ? "true" : "false", origin);
    }

    public static HoconScalar Null(ConfigOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return new HoconScalar(HoconValueType.Null, "null", origin);
    }

    /// <summary>True when a number's text has no fraction or exponent.</summary>
    internal bool IsIntegerText => Type == HoconValueType.Number && Text.AsSpan().IndexOfAny(".eE") < 0;

    /// <summary>The number's value as a double (numbers only).</summary>
    internal double AsDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string Describe() => Type switch
    {
        HoconValueType.String => $"string \"{Shorten(Text)}\"",
        HoconValueType.Number => $"number {Text}",
        HoconValueType.Boolean => $"boolean {Text}",
        _ => "null",
    };

    /// <inheritdoc />
    public override string ToString() => Text;

    private static string Shorten(string text) =>
        text.Length <= MaxDescribedLength ? text : string.Concat(text.AsSpan(0, MaxDescribedLength), "...");
}
