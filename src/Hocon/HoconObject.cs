using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Decentral.Hocon;

/// <summary>A resolved object: fields in the order they were first written.</summary>
public sealed class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    private readonly OrderedDictionary<string, HoconValue> _fields;

    internal HoconObject(OrderedDictionary<string, HoconValue> fields, ConfigOrigin origin, bool ignoresFallbacks = false)
        : base(origin)
    {
        _fields = fields;
        IgnoresFallbacks = ignoresFallbacks;
        Depth = ContainerDepth(fields.Values);
        long elements = fields.Count, characters = 0;
        foreach (var (key, value) in fields)
        {
            elements = SaturatingAdd(elements, value.Elements);
            characters = SaturatingAdd(characters, SaturatingAdd(key.Length, value.Characters));
        }

        (Elements, Characters) = (elements, characters);
    }

    /// <inheritdoc />
    internal override int Depth { get; }

    /// <inheritdoc />
    internal override long Elements { get; }

    /// <inheritdoc />
    internal override long Characters { get; }

    /// <summary>
    /// True when this object was merged over a non-object, which hid everything below it: merging
    /// is pairwise, so a later fallback must not merge into it either (HOCON.md, "Config object merging").
    /// </summary>
    internal bool IgnoresFallbacks { get; }

    /// <summary>The same fields without the fallback barrier (for a config's root, which starts a new merge).</summary>
    internal HoconObject AsRoot() => IgnoresFallbacks ? new HoconObject(_fields, Origin) : this;

    /// <summary>An empty object.</summary>
    public static HoconObject Empty(ConfigOrigin origin) => new(new OrderedDictionary<string, HoconValue>(), origin);

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Object;

    public int Count => _fields.Count;

    public IEnumerable<string> Keys => _fields.Keys;

    public IEnumerable<HoconValue> Values => _fields.Values;

    public HoconValue this[string key] => _fields[key];

    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string Describe() => $"object with {Count} field{(Count == 1 ? "" : "s")}";
}
