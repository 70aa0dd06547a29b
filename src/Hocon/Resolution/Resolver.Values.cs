using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Resolution;

/// <summary>Substitutions, the pieces of a value concatenation, and lists.</summary>
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

    /// <summary>
    /// Value concatenation (HOCON.md): each piece evaluated here, combined by <see cref="Concatenation"/>.
    /// </summary>
    private Layer Concatenate(AstConcat concat)
    {
        var parts = new List<ConcatPart>(concat.Pieces.Count);
        foreach (var piece in concat.Pieces)
        {
            parts.Add(piece switch
            {
                AstWhitespace w => new ConcatPart(PartKind.Space, w, Space: w.Text),
                AstValue val => ConcatPart.FromValue(val.Value, val),
                AstArray arr => new ConcatPart(PartKind.List, arr, ResolveArray(arr)),
                AstObject o => new ConcatPart(PartKind.Objects, o, Objects: [o]),
                _ => ConcatPart.FromLayer(EvaluateLayer(piece, path: null), piece),
            });
        }

        return Concatenation.Combine(parts, concat.Origin, _budget);
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

        return _budget.Built(new HoconList([.. items], array.Origin));
    }
}
