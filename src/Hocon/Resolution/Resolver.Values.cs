using System.Text;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Resolution;

/// <summary>Substitutions, value concatenation and lists.</summary>
internal sealed partial class Resolver
{
    private Layer Substitute(AstSubstitution s)
    {
        AstNode? maskHit = null;
        try
        {
            if (s.IncludePrefix is not null)
            {
                // Fixed-up path first (relative to where the file was included), then the path as written.
                var fixedUp = Lookup(s.IncludePrefix.Append(s.Path), ref maskHit);
                if (fixedUp is not null)
                {
                    return Layer.Of(_depth.Placed(fixedUp, s));
                }
            }

            var found = Lookup(s.Path, ref maskHit);
            if (found is not null)
            {
                return Layer.Of(_depth.Placed(found, s));
            }
        }
        catch (HoconResolveException e) when (e.IsCycle && s.Optional)
        {
            // HOCON.md: a cycle counts as a missing value for an optional substitution.
            return Layer.Undefined;
        }

        var name = string.Join('.', s.Path.Elements);
        var environment = _environment(name);
        if (environment is not null)
        {
            return Layer.Of(HoconScalar.String(environment, ConfigOrigin.Named($"environment variable {name}")));
        }

        if (s.Optional)
        {
            return Layer.Undefined;
        }

        throw Unresolved(s, maskHit, name);
    }

    private HoconResolveException Unresolved(AstSubstitution s, AstNode? maskHit, string environmentName)
    {
        if (maskHit is null)
        {
            return new HoconResolveException(
                $"could not resolve substitution {s.Text}: no setting at '{s.Path}' and no environment variable '{environmentName}'"
                + " (use ${?...} if it is optional)", s.Origin);
        }

        var definingField = _frames.FindLast(f => f.Path is not null);
        if (ReferenceEquals(definingField.Node, maskHit))
        {
            return new HoconResolveException(
                $"could not resolve substitution {s.Text}: it refers to the field '{definingField.Path}' it defines, "
                + "which has no earlier value to build on (use ${?...} if the earlier value is optional)", s.Origin);
        }

        return Cycle(_frames.FindIndex(f => ReferenceEquals(f.Node, maskHit)), s);
    }

    /// <summary>A cycle through the frames from <paramref name="start"/> to the innermost one.</summary>
    private HoconResolveException Cycle(int start, AstNode at)
    {
        var steps = new List<string>();
        HoconPath? field = null;
        for (var i = Math.Max(start, 0); i < _frames.Count; i++)
        {
            field = _frames[i].Path ?? field;
            if (_frames[i].Node is AstSubstitution s)
            {
                steps.Add(field is null ? $"{s.Text} ({s.Origin})" : $"{field} = {s.Text} ({s.Origin})");
            }
        }

        if (at is AstSubstitution again)
        {
            steps.Add(again.Path.ToString());
        }

        return new HoconResolveException($"cycle in substitutions: {string.Join(" -> ", steps)}", at.Origin, isCycle: true);
    }

    private enum PartKind
    {
        Space,
        Undefined,
        Simple,
        List,
        Objects,
    }

    private readonly record struct Part(PartKind Kind, AstNode Source, HoconValue? Value = null, List<AstNode>? Objects = null, string? Space = null);

    /// <summary>
    /// Value concatenation (HOCON.md): simple values join into a string keeping inner whitespace,
    /// lists append, objects merge; mixing kinds is an error. Undefined optional substitutions drop out.
    /// </summary>
    private Layer Concatenate(AstConcat concat)
    {
        var parts = new List<Part>(concat.Pieces.Count);
        foreach (var piece in concat.Pieces)
        {
            parts.Add(piece switch
            {
                AstWhitespace w => new Part(PartKind.Space, w, Space: w.Text),
                AstValue v => FromValue(v.Value, v),
                AstArray a => new Part(PartKind.List, a, ResolveArray(a)),
                AstObject o => new Part(PartKind.Objects, o, Objects: [o]),
                _ => FromLayer(EvaluateLayer(piece, path: null), piece),
            });
        }

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
                throw new HoconResolveException(
                    $"cannot concatenate {Describe(defined[0])} with {Describe(mismatch)}", mismatch.Source.Origin);
            }

            defined = converted;
            kind = PartKind.List;
        }

        switch (kind)
        {
            case PartKind.Objects:
                return new Layer(LayerKind.Objects, null, defined.SelectMany(p => p.Objects!).ToList());
            case PartKind.List:
                return Layer.Of(new HoconList(defined.SelectMany(p => (HoconList)p.Value!).ToArray(), concat.Origin));
            default:
                if (defined.Count == 1)
                {
                    return Layer.Of(defined[0].Value!);
                }

                var first = parts.FindIndex(p => p.Kind == PartKind.Simple);
                var last = parts.FindLastIndex(p => p.Kind == PartKind.Simple);
                var text = new StringBuilder();
                for (var i = first; i <= last; i++)
                {
                    text.Append(parts[i].Kind switch
                    {
                        PartKind.Space => parts[i].Space,
                        PartKind.Simple => ((HoconScalar)parts[i].Value!).Text,
                        _ => "",
                    });
                }

                return Layer.Of(HoconScalar.String(text.ToString(), concat.Origin));
        }
    }

    private static Part FromValue(HoconValue value, AstNode source) => value switch
    {
        HoconObject => new Part(PartKind.Objects, source, Objects: [new AstValue(value)]),
        HoconList => new Part(PartKind.List, source, value),
        _ => new Part(PartKind.Simple, source, value),
    };

    private static Part FromLayer(Layer layer, AstNode source) => layer.Kind switch
    {
        LayerKind.Undefined => new Part(PartKind.Undefined, source),
        LayerKind.Objects => new Part(PartKind.Objects, source, Objects: layer.Objects),
        _ => FromValue(layer.Value!, source),
    };

    private static string Describe(Part part) => part.Kind switch
    {
        PartKind.Objects => "an object",
        PartKind.List => "a list",
        _ => part.Value!.Describe(),
    };

    /// <summary>
    /// HOCON.md: in a concatenation where a list is expected, an object with numeric keys counts as a list.
    /// </summary>
    private static bool TryListFromNumericObjects(List<Part> parts, out List<Part> converted)
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

            converted.Add(new Part(PartKind.List, part.Source, list));
        }

        return true;
    }

    private HoconList ResolveArray(AstArray array)
    {
        _depth.Enter(array.Origin);
        try
        {
            return _depth.Checked(ResolveElements(array));
        }
        finally
        {
            _depth.Leave();
        }
    }

    private HoconList ResolveElements(AstArray array)
    {
        var items = new List<HoconValue>(array.Elements.Count);
        foreach (var element in array.Elements)
        {
            switch (element)
            {
                case AstValue v:
                    items.Add(v.Value);
                    break;
                case AstArray inner:
                    items.Add(ResolveArray(inner));
                    break;
                case AstObject o:
                    items.Add(MergeObjects([o], path: null));
                    break;
                default:
                    var layer = EvaluateLayer(element, path: null);
                    if (layer.Kind == LayerKind.Value)
                    {
                        items.Add(layer.Value!);
                    }
                    else if (layer.Kind == LayerKind.Objects)
                    {
                        items.Add(layer.Objects!.Count == 1 && layer.Objects[0] is AstValue { Value: HoconObject resolved }
                            ? resolved
                            : MergeObjects(layer.Objects, path: null));
                    }

                    break;
            }
        }

        return new HoconList([.. items], array.Origin);
    }
}
