namespace Decentral.Configuration;

/// <summary>
/// "Did you mean …?" for unknown keys and enum values: the closest known name by edit distance. The work
/// is linear in the input's length: a distance is computed only between names of at most
/// <see cref="MaxComparedLength"/> characters whose lengths differ by no more than the edits a suggestion
/// may take (the length difference alone is that many edits), so a key of a million characters is
/// reported as unknown at once, without a suggestion.
/// </summary>
internal static class KeySuggestions
{
    /// <summary>Longer names are never compared: no known name is that long, and the distance table grows with the product of the lengths.</summary>
    internal const int MaxComparedLength = 256;

    /// <summary>
    /// The known path closest to <paramref name="unknown"/>, comparing whole paths and last segments
    /// (a right name in the wrong section costs one), or null when nothing is close.
    /// </summary>
    public static string? ClosestPath(string unknown, IEnumerable<string> known)
    {
        var (parent, last) = Split(unknown);
        var threshold = Threshold(last);
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in known)
        {
            var (candidateParent, candidateLast) = Split(candidate);
            var bySegment = BoundedDistance(last, candidateLast, threshold) + (parent == candidateParent ? 0 : 1);
            var score = Math.Min(BoundedDistance(unknown, candidate, threshold), bySegment);
            if (score < bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return bestScore <= threshold ? best : null;
    }

    /// <summary>The closest of <paramref name="allowed"/> to <paramref name="value"/>, or null.</summary>
    public static string? Closest(string value, IEnumerable<string> allowed)
    {
        var threshold = Threshold(value);
        var lower = value.Length <= MaxComparedLength ? value.ToLowerInvariant() : value;
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in allowed)
        {
            var score = BoundedDistance(lower, candidate, threshold);
            if (score < bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return bestScore <= threshold ? best : null;
    }

    /// <summary>", did you mean 'x'?" or "".</summary>
    public static string DidYouMean(string? suggestion) => suggestion is null ? "" : $"; did you mean '{suggestion}'?";

    /// <summary>Short names tolerate two edits, longer ones about a third of their length.</summary>
    private static int Threshold(string name) => Math.Max(2, name.Length / 3);

    private static (string Parent, string Last) Split(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? ("", path) : (path[..dot], path[(dot + 1)..]);
    }

    /// <summary>
    /// <see cref="Distance"/> when it can be at most <paramref name="limit"/>; otherwise a number above the
    /// limit, found without the table when the lengths differ by more than the limit or either name is
    /// longer than <see cref="MaxComparedLength"/>.
    /// </summary>
    internal static int BoundedDistance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit || a.Length > MaxComparedLength || b.Length > MaxComparedLength)
        {
            return limit == int.MaxValue ? limit : limit + 1;
        }

        return Distance(a, b);
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
