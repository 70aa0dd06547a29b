using System.Text;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Resolution;

internal enum PartKind
{
    Space,
    Undefined,
    Simple,
    List,
    Objects,
}

/// <summary>One evaluated piece of a value concatenation: whitespace, nothing, a simple value, a list, or objects to merge.</summary>
internal readonly record struct ConcatPart(PartKind Kind, AstNode Source, HoconValue? Value = null, List<AstNode>? Objects = null, string? Space = null)
{
    public static ConcatPart FromValue(HoconValue value, AstNode source) => value switch
    {
        HoconObject => new ConcatPart(PartKind.Objects, source, Objects: [new AstValue(value)]),
        HoconList => new ConcatPart(PartKind.List, source, value),
        _ => new ConcatPart(PartKind.Simple, source, value),
    };

    public static ConcatPart FromLayer(Layer layer, AstNode source) => layer.Kind switch
    {
        LayerKind.Undefined => new ConcatPart(PartKind.Undefined, source),
        LayerKind.Objects => new ConcatPart(PartKind.Objects, source, Objects: layer.Objects),
        _ => FromValue(layer.Value!, source),
    };

    public string Describe() => Kind switch
    {
        PartKind.Objects => "an object",
        PartKind.List => "a list",
        _ => Value!.Describe(),
    };
}

/// <summary>
/// Value concatenation (HOCON.md): simple values join into a string keeping inner whitespace, lists
/// append, objects merge; mixing kinds is an error. Undefined optional substitutions drop out.
/// </summary>
internal static class Concatenation
{
    /// <param name="budget">Checks the size of a string or list before it is built.</param>
    public static Layer Combine(List<ConcatPart> parts, ConfigOrigin origin, ResolveBudget budget)
    {
        var defined = parts.Where(p => p.Kind is not (PartKind.Space or PartKind.Undefined)).ToList();
        if (defined.Count == 0)
        {
            return Layer.Undefined;
        }

        var kind = defined[0].Kind;
        var mismatch = defined.FirstOrDefault(p => p.Kind != kind);
        if (mismatch.Source is not null)
        {
            if (!TryListFromNumericObjects(defined, out var converted))
            {
                throw new HoconResolveException($"cannot concatenate {defined[0].Describe()} with {mismatch.Describe()}", mismatch.Source.Origin);
            }

            defined = converted;
            kind = PartKind.List;
        }

        switch (kind)
        {
            case PartKind.Objects:
                return new Layer(LayerKind.Objects, null, defined.SelectMany(p => p.Objects!).ToList());
            case PartKind.List:
                return Layer.Of(JoinLists(defined, origin, budget));
            default:
                return defined.Count == 1 ? Layer.Of(defined[0].Value!) : Layer.Of(HoconScalar.String(JoinSimple(parts, origin, budget), origin));
        }
    }

    /// <summary>The lists appended, after checking what the result would hold.</summary>
    private static HoconList JoinLists(List<ConcatPart> lists, ConfigOrigin origin, ResolveBudget budget)
    {
        long count = 0, elements = 0, characters = 0;
        foreach (var part in lists)
        {
            var list = (HoconList)part.Value!;
            count += list.Count;
            elements += list.Elements;
            characters += list.Characters;
        }

        budget.Container(count, elements, characters, origin);
        return new HoconList(lists.SelectMany(p => (HoconList)p.Value!).ToArray(), origin);
    }

    /// <summary>The simple values and the whitespace between them (not before the first or after the last).</summary>
    private static string JoinSimple(List<ConcatPart> parts, ConfigOrigin origin, ResolveBudget budget)
    {
        var first = parts.FindIndex(p => p.Kind == PartKind.Simple);
        var last = parts.FindLastIndex(p => p.Kind == PartKind.Simple);
        long length = 0;
        for (var i = first; i <= last; i++)
        {
            length += Piece(parts[i]).Length;
        }

        // Checked before anything is copied: doubling a string per line would otherwise exhaust memory.
        budget.String(length, origin);
        var text = new StringBuilder((int)length);
        for (var i = first; i <= last; i++)
        {
            text.Append(Piece(parts[i]));
        }

        return text.ToString();
    }

    private static string Piece(ConcatPart part) => part.Kind switch
    {
        PartKind.Space => part.Space!,
        PartKind.Simple => ((HoconScalar)part.Value!).Text,
        _ => "",
    };

    /// <summary>HOCON.md: in a concatenation where a list is expected, an object with numeric keys counts as a list.</summary>
    private static bool TryListFromNumericObjects(List<ConcatPart> parts, out List<ConcatPart> converted)
    {
        converted = [];
        if (!parts.Any(p => p.Kind == PartKind.List))
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Kind == PartKind.List)
            {
                converted.Add(part);
                continue;
            }

            if (part.Kind != PartKind.Objects || part.Objects!.Count != 1
                || part.Objects[0] is not AstValue { Value: HoconObject obj }
                || NumericKeys.TryToList(obj) is not { } list)
            {
                return false;
            }

            converted.Add(new ConcatPart(PartKind.List, part.Source, list));
        }

        return true;
    }
}
