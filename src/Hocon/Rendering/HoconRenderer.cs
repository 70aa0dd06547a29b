using System.Text;

namespace Decentral.Hocon.Rendering;

/// <summary>Writes a resolved tree as HOCON: root braces omitted, strings quoted, keys quoted when needed.</summary>
internal static class HoconRenderer
{
    private const string Indent = "  ";

    /// <param name="maxLength">The longest output allowed, in characters (<see cref="HoconLimits.MaxRenderedLength"/>).</param>
    /// <param name="prefix">The rendered object's path, for errors.</param>
    public static string Render(HoconObject root, bool withOrigins, long maxLength, HoconPath prefix)
    {
        var sb = new StringBuilder();
        Fields(sb, root, 0, withOrigins, new RenderBudget(maxLength, prefix, "characters"));
        return sb.ToString();
    }

    private static void Fields(StringBuilder sb, HoconObject obj, int depth, bool withOrigins, RenderBudget budget)
    {
        foreach (var (key, value) in obj)
        {
            budget.Enter(key);
            if (withOrigins)
            {
                Pad(sb, depth).Append("# ").Append(value.Origin).Append('\n');
            }

            Pad(sb, depth).Append(HoconPath.RenderKey(key));
            sb.Append(value is HoconObject ? " " : " = ");
            Value(sb, value, depth, withOrigins, budget);
            sb.Append('\n');
            budget.Leave();
        }
    }

    private static void Value(StringBuilder sb, HoconValue value, int depth, bool withOrigins, RenderBudget budget)
    {
        switch (value)
        {
            case HoconObject { Count: 0 }:
                sb.Append("{}");
                break;
            case HoconObject obj:
                sb.Append("{\n");
                Fields(sb, obj, depth + 1, withOrigins, budget);
                Pad(sb, depth).Append('}');
                break;
            case HoconList { Count: 0 }:
                sb.Append("[]");
                break;
            case HoconList list:
                sb.Append("[\n");
                for (var i = 0; i < list.Count; i++)
                {
                    budget.Enter(i);
                    Pad(sb, depth + 1);
                    Value(sb, list[i], depth + 1, withOrigins, budget);
                    sb.Append(i + 1 < list.Count ? ",\n" : "\n");
                    budget.Leave();
                }

                Pad(sb, depth).Append(']');
                break;
            case HoconScalar { Type: HoconValueType.String } s:
                // One string may be megabytes once escaped: checked before it is copied.
                budget.Check(sb.Length + HoconPath.QuotedLength(s.Text), value);
                HoconPath.AppendQuoted(sb, s.Text);
                break;
            default:
                sb.Append(((HoconScalar)value).Text);
                break;
        }

        budget.Check(sb.Length, value);
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
