namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// Counts of gradient delays τ in bounded memory: exact counts for τ &lt; <see cref="ExactLimit"/>, and
/// above that one bucket per power of two ([2^k, 2^(k+1))), so quantiles are exact up to the limit and
/// within a factor of two beyond it. Count, sum (mean) and maximum are always exact.
/// </summary>
public sealed class DelayHistogram
{
    /// <summary>Delays below this are counted one by one.</summary>
    public const int ExactLimit = 4096;

    private readonly long[] _exact = new long[ExactLimit];
    private readonly long[] _log2 = new long[64];

    public long Count { get; private set; }

    public long Max { get; private set; }

    /// <summary>Σ τ (a double: 10¹² delays of 10⁶ would overflow a long's precision in no realistic run, but stay finite here).</summary>
    public double Sum { get; private set; }

    public double Mean => Count > 0 ? Sum / Count : 0;

    public void Add(long delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        if (delay < ExactLimit)
        {
            _exact[delay]++;
        }
        else
        {
            _log2[63 - long.LeadingZeroCount(delay)]++;
        }
        Count++;
        Sum += delay;
        if (delay > Max)
        {
            Max = delay;
        }
    }

    /// <summary>
    /// The smallest τ with at least a fraction <paramref name="p"/> of the delays ≤ τ (p in [0, 1]); for
    /// τ ≥ <see cref="ExactLimit"/>, the upper end of its power-of-two bucket (capped at <see cref="Max"/>).
    /// 0 when empty.
    /// </summary>
    public long Quantile(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A quantile is a fraction in [0, 1].");
        }
        if (Count == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(p * Count));
        long seen = 0;
        for (var d = 0; d < ExactLimit; d++)
        {
            seen += _exact[d];
            if (seen >= rank)
            {
                return d;
            }
        }
        for (var k = 0; k < _log2.Length; k++)
        {
            seen += _log2[k];
            if (seen >= rank)
            {
                var upper = k >= 62 ? long.MaxValue : (1L << (k + 1)) - 1;
                return Math.Min(upper, Max);
            }
        }
        return Max;
    }

    /// <summary>Fraction of the delays that are ≤ <paramref name="delay"/> (exact below <see cref="ExactLimit"/>).</summary>
    public double FractionAtMost(long delay)
    {
        if (Count == 0)
        {
            return 1;
        }
        long seen = 0;
        var top = (int)Math.Min(delay, ExactLimit - 1);
        for (var d = 0; d <= top; d++)
        {
            seen += _exact[d];
        }
        if (delay >= ExactLimit)
        {
            for (var k = 12; k < _log2.Length && (1L << k) <= delay; k++)
            {
                seen += _log2[k];
            }
        }
        return (double)seen / Count;
    }
}
