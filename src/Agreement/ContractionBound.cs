namespace Decentral.Agreement;

public static class ContractionBound
{
    /// <summary>
    /// Attiya &amp; Schiller's contraction factor per two rounds for m clusters:
    /// q = (2⌊m/2⌋ + 1) / (2⌊m/2⌋ + 2).
    /// </summary>
    public static double PerTwoRounds(int clusters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        var h = clusters / 2;
        return ((2.0 * h) + 1) / ((2.0 * h) + 2);
    }
}
