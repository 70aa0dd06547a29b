using System.Globalization;
using System.Text;
using System.Text.Json;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Rendering;

/// <summary>Writes a resolved tree as JSON: objects, arrays, numbers as numbers, strings, booleans, null.</summary>
internal static class JsonRenderer
{
    public static string Render(HoconValue value, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, HoconValue value)
    {
        switch (value)
        {
            case HoconObject obj:
                writer.WriteStartObject();
                foreach (var (key, child) in obj)
                {
                    writer.WritePropertyName(key);
                    Write(writer, child);
                }

                writer.WriteEndObject();
                break;
            case HoconList list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case HoconScalar { Type: HoconValueType.Number } n:
                if (NumberSyntax.IsJsonNumber(n.Text))
                {
                    writer.WriteRawValue(n.Text);
                }
                else
                {
                    writer.WriteNumberValue(double.Parse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
                }

                break;
            case HoconScalar { Type: HoconValueType.Boolean } b:
                writer.WriteBooleanValue(b.Text == "true");
                break;
            case HoconScalar { Type: HoconValueType.Null }:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(((HoconScalar)value).Text);
                break;
        }
    }
}
