using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Decentral.Hosting;

/// <summary>
/// Turns an <see cref="IConfiguration"/> section into <c>decentral.key=value</c> HOCON overrides:
/// children become objects, children numbered 0…n−1 become lists, values that read as numbers or
/// booleans stay unquoted and everything else becomes a quoted string.
/// </summary>
public static class ConfigurationToHocon
{
    public static IReadOnlyList<string> Overrides(IConfiguration section, string root = "decentral")
    {
        ArgumentNullException.ThrowIfNull(section);
        return [.. section.GetChildren().Select(c => $"{root}.{Key(c.Key)}={Value(c)}")];
    }

    private static string Value(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return Scalar(section.Value ?? string.Empty);
        }

        var indexes = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indexes.All(i => i >= 0) && indexes.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            return "[" + string.Join(", ", children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(Value)) + "]";
        }

        var text = new StringBuilder("{ ");
        foreach (var child in children)
        {
            text.Append(Key(child.Key)).Append(" = ").Append(Value(child)).Append(", ");
        }

        return text.Append('}').ToString();
    }

    private static string Key(string key) => JsonSerializer.Serialize(key);

    private static string Scalar(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || value is "true" or "false"
            ? value
            : JsonSerializer.Serialize(value);
}
