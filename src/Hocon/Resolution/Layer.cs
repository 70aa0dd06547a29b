using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Resolution;

internal enum LayerKind
{
    Undefined,
    Value,
    Objects,
}

/// <summary>What one definition evaluates to: nothing, a non-object value, or objects still to merge.</summary>
internal readonly record struct Layer(LayerKind Kind, HoconValue? Value, List<AstNode>? Objects)
{
    public static Layer Undefined => new(LayerKind.Undefined, null, null);

    public static Layer Of(HoconValue value) =>
        value is HoconObject ? new(LayerKind.Objects, null, [new AstValue(value)]) : new(LayerKind.Value, value, null);
}
