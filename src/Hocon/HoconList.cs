using System.Collections;

namespace Decentral.Hocon;

/// <summary>A resolved list (HOCON "array").</summary>
public sealed class HoconList : HoconValue, IReadOnlyList<HoconValue>
{
    private readonly HoconValue[] _items;

    internal HoconList(HoconValue[] items, ConfigOrigin origin)
        : base(origin)
    {
        _items = items;
        Depth = ContainerDepth(items);
        long elements = items.Length, characters = 0;
        foreach (var item in items)
        {
            elements = SaturatingAdd(elements, item.Elements);
            characters = SaturatingAdd(characters, item.Characters);
        }

        (Elements, Characters) = (elements, characters);
    }

    /// <inheritdoc />
    internal override int Depth { get; }

    /// <inheritdoc />
    internal override long Elements { get; }

    /// <inheritdoc />
    internal override long Characters { get; }

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.List;

    public int Count => _items.Length;

    public HoconValue this[int index] => _items[index];

    public IEnumerator<HoconValue> GetEnumerator() => ((IEnumerable<HoconValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override string Describe() => $"list of {Count} element{(Count == 1 ? "" : "s")}";
}
