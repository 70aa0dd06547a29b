using System.Globalization;
using System.Text;
using System.Text.Json;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Rendering;

/// <summary>Writes a resolved tree as JSON: objects, arrays, numbers as numbers, strings, booleans, null.</summary>
internal static class JsonRenderer
{
    /// <param name="maxBytes">The longest output allowed, in UTF-8 bytes (<see cref="HoconLimits.MaxRenderedLength"/>).</param>
    /// <param name="prefix">The rendered value's path, for errors.</param>
    public static string Render(HoconValue value, bool indented, long maxBytes, HoconPath prefix)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, value, new RenderBudget(maxBytes, prefix, "bytes"));
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, HoconValue value, RenderBudget budget)
    {
        switch (value)
        {
            case HoconObject obj:
                writer.WriteStartObject();
                foreach (var (key, child) in obj)
                {
                    budget.Enter(key);
                    writer.WritePropertyName(key);
                    Write(writer, child, budget);
                    budget.Leave();
                }

                writer.WriteEndObject();
                break;
            case HoconList list:
                writer.WriteStartArray();
                for (var i = 0; i < list.Count; i++)
                {
                    budget.Enter(i);
                    Write(writer, list[i], budget);
                    budget.Leave();
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
                // One string may be megabytes: checked (at its unescaped length) before it is copied.
                var text = ((HoconScalar)value).Text;
                budget.Check(writer.BytesCommitted + writer.BytesPending + text.Length, value);
                writer.WriteStringValue(text);
                break;
        }

        budget.Check(writer.BytesCommitted + writer.BytesPending, value);
    }
}
