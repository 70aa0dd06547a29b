using System.Diagnostics;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Resolution;

/// <summary>
/// Resolves an unresolved tree into <see cref="HoconObject"/>s.
///
/// Every field keeps its definitions in order (its merge stack). A field's value is computed from
/// the newest definition down: objects merge with the definitions below them, anything else hides
/// them (so a hidden substitution is never evaluated, as HOCON.md requires). Lookups for
/// substitutions are lazy: navigating <c>a.b</c> only evaluates the definitions needed to find
/// <c>b</c>, so an object may refer to paths inside itself.
///
/// Self-references follow HOCON.md's suggested implementation: while a substitution or
/// concatenation that defines field K is evaluated, K is "masked": lookups that reach K see only
/// the definitions below the one being evaluated. A lookup that ends undefined because of the
/// innermost field's own mask is a self-reference with no earlier value; because of an outer
/// field's mask, it is a cycle. Re-entering a definition that is still being evaluated (through an
/// array element or a whole-object lookup) is also a cycle. Results are memoized per definition
/// instance, so fields that read each other get consistent values.
/// </summary>
internal sealed partial class Resolver
{
    /// <summary>
    /// Substitution and concatenation evaluations nested in one another. Together with
    /// <see cref="HoconParser.MaxNestingDepth"/> this needs up to about 2 MB of stack; on smaller
    /// stacks <see cref="ResolveDepth.EnsureStack"/> stops a long chain first, with an error at the same kind of place.
    /// </summary>
    private const int MaxDepth = 1000;

    private readonly IReadOnlyList<AstNode> _root;
    private readonly Func<string, string?> _environment;
    private readonly Dictionary<AstNode, Layer> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<HoconPath, List<AstNode>> _masks = [];
    private readonly List<Frame> _frames = [];
    private readonly HashSet<AstNode> _inProgress = new(ReferenceEqualityComparer.Instance);
    private readonly ResolveDepth _depth;

    /// <summary>The fields whose values are being computed, innermost last (named by limit errors).</summary>
    private readonly List<HoconPath> _fields = [];
    private readonly ResolveBudget _budget;
    private readonly LookupMemo _lookups = new();

    private Resolver(IReadOnlyList<AstNode> root, Func<string, string?> environment, HoconLimits limits)
    {
        _root = root;
        _environment = environment;
        _depth = new ResolveDepth(() => _frames.FindLast(f => f.Node is AstSubstitution).Node as AstSubstitution);
        _budget = new ResolveBudget(limits, () => _fields.Count == 0 ? HoconPath.Root : _fields[^1]);
    }

    /// <summary>Resolves the merge of <paramref name="rootDefinitions"/> (lowest priority first).</summary>
    public static HoconObject Resolve(IReadOnlyList<AstNode> rootDefinitions, Func<string, string?> environment, ConfigOrigin emptyOrigin, HoconLimits limits)
    {
        var resolver = new Resolver(rootDefinitions, environment, limits);
        var result = resolver.Combine(rootDefinitions, HoconPath.Root);
        Debug.Assert(
            resolver._frames.Count == 0 && resolver._inProgress.Count == 0 && resolver._depth.Levels == 0 && resolver._fields.Count == 0,
            "evaluation stack must unwind");
        return result as HoconObject ?? HoconObject.Empty(emptyOrigin);
    }

    /// <summary>A definition being evaluated, and the field it defines (null for list elements and pieces).</summary>
    private readonly record struct Frame(AstNode Node, HoconPath? Path);

    /// <summary>The value of a field from its definitions (oldest first); null when undefined.</summary>
    private HoconValue? Combine(IReadOnlyList<AstNode> definitions, HoconPath? path)
    {
        if (path is null)
        {
            return CombineLayers(definitions, path);
        }

        _fields.Add(path);
        try
        {
            return CombineLayers(definitions, path);
        }
        finally
        {
            _fields.RemoveAt(_fields.Count - 1);
        }
    }

    private HoconValue? CombineLayers(IReadOnlyList<AstNode> definitions, HoconPath? path)
    {
        var objects = ObjectLayers(definitions, path, out var top, out var hidesBelow);
        if (top is AstArray array)
        {
            return ResolveArray(array);
        }

        if (top is AstValue value)
        {
            return value.Value;
        }

        if (objects.Count == 1 && objects[0] is AstValue { Value: HoconObject resolved } && resolved.IgnoresFallbacks == hidesBelow)
        {
            return resolved;
        }

        return objects.Count == 0 ? null : MergeObjects(objects, path, hidesBelow);
    }

    /// <summary>
    /// Scans definitions from the newest down, evaluating only while merging can still reach
    /// further. Returns the object layers oldest first; <paramref name="top"/> is the newest
    /// defined non-object (an <see cref="AstValue"/> or unresolved <see cref="AstArray"/>) when no
    /// object lies above it. <paramref name="hidesBelow"/> tells that the scan stopped at a
    /// non-object (or an object that ignores fallbacks) under the objects.
    /// </summary>
    private List<AstNode> ObjectLayers(IReadOnlyList<AstNode> definitions, HoconPath? path, out AstNode? top, out bool hidesBelow)
    {
        top = null;
        hidesBelow = false;
        var newestFirst = new List<AstNode>();
        for (var i = definitions.Count - 1; i >= 0 && !hidesBelow; i--)
        {
            var definition = definitions[i];
            switch (definition)
            {
                case AstObject or AstValue { Value: HoconObject }:
                    hidesBelow = AddObjectLayer(newestFirst, definition);
                    continue;
                case AstValue or AstArray:
                    top = newestFirst.Count == 0 ? definition : null;
                    hidesBelow = newestFirst.Count > 0;
                    break;
                default:
                    var layer = EvaluateLayer(definition, path);
                    if (layer.Kind == LayerKind.Undefined)
                    {
                        continue;
                    }

                    if (layer.Kind == LayerKind.Objects)
                    {
                        for (var j = layer.Objects!.Count - 1; j >= 0 && !hidesBelow; j--)
                        {
                            hidesBelow = AddObjectLayer(newestFirst, layer.Objects[j]);
                        }

                        continue;
                    }

                    top = newestFirst.Count == 0 ? new AstValue(layer.Value!) : null;
                    hidesBelow = newestFirst.Count > 0;
                    break;
            }

            break;
        }

        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>Adds an object layer; true when it ignores fallbacks, so nothing older may merge in.</summary>
    private static bool AddObjectLayer(List<AstNode> newestFirst, AstNode layer)
    {
        newestFirst.Add(layer);
        return layer is AstValue { Value: HoconObject { IgnoresFallbacks: true } };
    }

    private HoconObject MergeObjects(List<AstNode> layers, HoconPath? path, bool ignoresFallbacks = false)
    {
        _depth.Enter(layers[^1].Origin);
        try
        {
            return _depth.Checked(MergeFields(layers, path, ignoresFallbacks));
        }
        finally
        {
            _depth.Leave();
        }
    }

    private HoconObject MergeFields(List<AstNode> layers, HoconPath? path, bool ignoresFallbacks)
    {
        var fields = new OrderedDictionary<string, List<AstNode>>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            if (layer is AstObject literal)
            {
                foreach (var (key, definitions) in literal.Fields)
                {
                    Definitions(fields, key).AddRange(definitions);
                }
            }
            else
            {
                foreach (var (key, value) in (HoconObject)((AstValue)layer).Value)
                {
                    Definitions(fields, key).Add(new AstValue(value));
                }
            }
        }

        var result = new OrderedDictionary<string, HoconValue>(fields.Count, StringComparer.Ordinal);
        foreach (var (key, definitions) in fields)
        {
            var value = Combine(definitions, path?.Append(key));
            if (value is not null)
            {
                result.Add(key, value);
            }
        }

        return _budget.Built(new HoconObject(result, layers[^1].Origin, ignoresFallbacks));
    }

    private static List<AstNode> Definitions(OrderedDictionary<string, List<AstNode>> fields, string key)
    {
        if (!fields.TryGetValue(key, out var list))
        {
            list = [];
            fields.Add(key, list);
        }

        return list;
    }

    /// <summary>The definitions of <paramref name="key"/> inside the value defined by <paramref name="definitions"/>.</summary>
    private List<AstNode> ChildDefinitions(IReadOnlyList<AstNode> definitions, HoconPath path, string key)
    {
        var children = new List<AstNode>();
        foreach (var layer in ObjectLayers(definitions, path, out _, out _))
        {
            if (layer is AstObject literal)
            {
                if (literal.Fields.TryGetValue(key, out var own))
                {
                    children.AddRange(own);
                }
            }
            else if (((HoconObject)((AstValue)layer).Value).TryGetValue(key, out var value))
            {
                children.Add(new AstValue(value));
            }
        }

        return children;
    }

    /// <summary>
    /// Looks <paramref name="path"/> up from the root, honouring masks on the way ("look back" for
    /// fields being defined). <paramref name="maskHit"/> reports a mask that hid definitions.
    /// </summary>
    private HoconValue? Lookup(HoconPath path, ref AstNode? maskHit)
    {
        IReadOnlyList<AstNode> definitions = _root;
        for (var i = 0; i < path.Length; i++)
        {
            var prefix = path.Prefix(i + 1);
            definitions = ChildDefinitions(definitions, path.Prefix(i), path.Elements[i]);
            if (_masks.TryGetValue(prefix, out var stack) && stack.Count > 0)
            {
                var index = IndexOf(definitions, stack[^1]);
                if (index >= 0)
                {
                    maskHit ??= stack[^1];
                    definitions = definitions.Take(index).ToList();
                }
            }

            if (definitions.Count == 0)
            {
                return null;
            }
        }

        if (_lookups.TryGet(path, definitions, out var known))
        {
            return known;
        }

        var value = Combine(definitions, path);
        _lookups.Add(path, definitions, value);
        return value;
    }

    private static int IndexOf(IReadOnlyList<AstNode> definitions, AstNode node)
    {
        for (var i = 0; i < definitions.Count; i++)
        {
            if (ReferenceEquals(definitions[i], node))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Evaluates a substitution or concatenation once, masking the field it defines meanwhile.</summary>
    private Layer EvaluateLayer(AstNode node, HoconPath? path)
    {
        if (_memo.TryGetValue(node, out var memo))
        {
            return memo;
        }

        if (_inProgress.Contains(node))
        {
            throw Cycle(_frames.FindIndex(f => ReferenceEquals(f.Node, node)), node);
        }

        if (_frames.Count >= MaxDepth)
        {
            throw new HoconResolveException($"substitutions nested more than {MaxDepth} deep", node.Origin);
        }

        ResolveDepth.EnsureStack(node.Origin);

        _inProgress.Add(node);
        _frames.Add(new Frame(node, path));
        if (path is not null)
        {
            if (!_masks.TryGetValue(path, out var stack))
            {
                stack = [];
                _masks.Add(path, stack);
            }

            stack.Add(node);
        }

        Layer layer;
        try
        {
            layer = node switch
            {
                AstSubstitution s => Substitute(s),
                AstConcat c => Concatenate(c),
                _ => throw new UnreachableException($"unexpected definition {node.GetType().Name}"),
            };
        }
        finally
        {
            if (path is not null)
            {
                var stack = _masks[path];
                stack.RemoveAt(stack.Count - 1);
            }

            _frames.RemoveAt(_frames.Count - 1);
            _inProgress.Remove(node);
        }

        _memo[node] = layer;
        return layer;
    }
}
