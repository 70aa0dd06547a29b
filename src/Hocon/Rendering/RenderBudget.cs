using System.Globalization;

namespace Decentral.Hocon.Rendering;

/// <summary>
/// <see cref="HoconLimits.MaxRenderedLength"/> while a renderer writes: the key being written is kept so
/// that the error names it. Values that substitutions share are written once per place, so the output
/// can be far larger than the tree in memory; checking as the text grows stops it at the limit.
/// </summary>
/// <param name="prefix">The path of the rendered object in its configuration (for sub-configs).</param>
/// <param name="unit">What the output is counted in ("bytes", "characters").</param>
internal sealed class RenderBudget(long max, HoconPath prefix, string unit)
{
    private readonly List<string> _path = [];

    public void Enter(string key) => _path.Add(key);

    public void Enter(int index) => _path.Add(index.ToString(CultureInfo.InvariantCulture));

    public void Leave() => _path.RemoveAt(_path.Count - 1);

    /// <summary>Throws when <paramref name="written"/> has passed the limit while writing <paramref name="at"/>.</summary>
    public void Check(long written, HoconValue at)
    {
        if (written > max)
        {
            throw new HoconLimitException(
                prefix.Append(HoconPath.FromElements(_path)).ToString(),
                $"rendering stopped here: the output would be longer than {max.ToString("N0", CultureInfo.InvariantCulture)} {unit} "
                + $"({nameof(HoconLimits)}.{nameof(HoconLimits.MaxRenderedLength)}; values that substitutions put in several places are written once per place)",
                at.Origin);
        }
    }
}
