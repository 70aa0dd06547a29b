namespace Decentral.Hocon;

/// <summary>
/// Bounds on what resolving and rendering a configuration may build, so that a few hundred bytes of
/// text cannot grow without end: <c>b = ${a}${a}</c>, <c>c = ${b}${b}</c>, … doubles a string per line,
/// the same with lists (<c>${a} ${a}</c>), and <c>b = [${a}, ${a}]</c>, … doubles what rendering writes
/// per line while sharing the values in memory. A value over a limit is a <see cref="HoconLimitException"/>
/// naming the key and where the value was written. The defaults are far above any real configuration
/// (the repository's largest resolves to a few thousand characters); raise them per parse with
/// <see cref="HoconParseOptions.Limits"/>, <see cref="Config.Resolve"/> or <see cref="Config.ToJson"/>.
/// </summary>
public sealed record HoconLimits
{
    /// <summary>The defaults.</summary>
    public static HoconLimits Default { get; } = new();

    /// <summary>Longest string a value concatenation may build, in characters (default 4 Mi = 4,194,304).</summary>
    public int MaxStringLength { get; init; } = 4 << 20;

    /// <summary>
    /// Most characters of strings and keys in one resolved value, the whole configuration included, a
    /// value that substitutions put in n places counted n times (so roughly what rendering it writes,
    /// without punctuation); also the most characters concatenations may build in one resolution
    /// (default 8 Mi = 8,388,608).
    /// </summary>
    public long MaxCharacters { get; init; } = 8 << 20;

    /// <summary>
    /// Most list elements and object fields in one resolved value, counted the same way; also the most
    /// the resolver may build in one resolution (merging objects copies their fields) (default 256 Ki = 262,144).
    /// </summary>
    public long MaxElements { get; init; } = 256 << 10;

    /// <summary>
    /// Longest text <see cref="Config.ToJson"/> (in UTF-8 bytes) and <see cref="Config.ToHocon"/> (in
    /// characters) may produce; rendering stops as soon as it passes this (default 16 Mi = 16,777,216).
    /// </summary>
    public long MaxRenderedLength { get; init; } = 16 << 20;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStringLength, 1, nameof(MaxStringLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCharacters, 1, nameof(MaxCharacters));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxElements, 1, nameof(MaxElements));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRenderedLength, 1, nameof(MaxRenderedLength));
    }
}
