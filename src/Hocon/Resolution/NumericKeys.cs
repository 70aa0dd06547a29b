using System.Globalization;

namespace Decentral.Hocon.Resolution;

/// <summary>
/// HOCON.md "conversion of numerically-indexed objects to arrays": <c>{ "0": a, "2": b }</c> reads
/// as <c>[a, b]</c> where a list is required. Keys that are not non-negative integers are ignored;
/// an object with no such keys is not converted.
/// </summary>
internal static class NumericKeys
{
    public static HoconList? TryToList(HoconObject obj)
    {
        var indexed = new List<(long Index, HoconValue Value)>();
        foreach (var (key, value) in obj)
        {
            if (key.Length > 0 && key.All(char.IsAsciiDigit)
                && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indexed.Add((index, value));
            }
        }

        if (indexed.Count == 0)
        {
            return null;
        }

        indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new HoconList(indexed.Select(p => p.Value).ToArray(), obj.Origin);
    }
}
