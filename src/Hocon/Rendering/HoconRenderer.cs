using System.Text;

namespace Decentral.Hocon.Rendering;

/// <summary>Writes a resolved tree as HOCON: root braces omitted, strings quoted, keys quoted when needed.</summary>
internal static class HoconRenderer
{
    private const string Indent = "  ";

    public static string Render(HoconObject root, bool withOrigins)
    {
        var sb = new StringBuilder();
        Fields(sb, root, 0, withOrigins);
        return sb.ToString();
    }

    private static void Fields(StringBuilder sb, HoconObject obj, int depth, bool withOrigins)
    {
        foreach (var (key, value) in obj)
        {
            if (withOrigins)
            {
                Pad(sb, depth).Append("# ").Append(value.Origin).Append('\n');
            }

            Pad(sb, depth).Append(HoconPath.RenderKey(key));
            sb.Append(value is HoconObject ? " " : " = ");
            Value(sb, value, depth, withOrigins);
            sb.Append('\n');
        }
    }

    private static void Value(StringBuilder sb, HoconValue value, int depth, bool withOrigins)
    {
        switch (value)
        {
            case HoconObject { Count: 0 }:
                sb.Append("{}");
                break;
            case HoconObject obj:
                sb.Append("{\n");
                Fields(sb, obj, depth + 1, withOrigins);
                Pad(sb, depth).Append('}');
                break;
            case HoconList { Count: 0 }:
                sb.Append("[]");
                break;
            case HoconList list:
                sb.Append("[\n");
                for (var i = 0; i < list.Count; i++)
                {
                    Pad(sb, depth + 1);
                    Value(sb, list[i], depth + 1, withOrigins);
                    sb.Append(i + 1 < list.Count ? ",\n" : "\n");
                }

                Pad(sb, depth).Append(']');
                break;
            case HoconScalar { Type: HoconValueType.String } s:
                sb.Append(HoconPath.Quote(s.Text));
                break;
            default:
                sb.Append(((HoconScalar)value).Text);
                break;
        }
    }

    private static StringBuilder Pad(StringBuilder sb, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            sb.Append(Indent);
        }

        return sb;
    }
}
