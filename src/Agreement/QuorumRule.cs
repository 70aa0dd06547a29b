using System.Globalization;

namespace Decentral.Agreement;

public enum QuorumKind
{
    /// <summary>The clusters of the distinct senders hold more than n/2 processes (a sender represents its cluster).</summary>
    Processes,

    /// <summary>The distinct senders cover more than m/2 clusters.</summary>
    Clusters,

    /// <summary>Any M distinct senders.</summary>
    Any,
}

/// <summary>
/// When a set of distinct senders is a quorum. Under <see cref="Processes"/> and <see cref="Clusters"/> any
/// two quorums share a cluster, which is what makes agreement contract; <see cref="Any(int)"/> gives that
/// only when 2M &gt; n.
/// </summary>
public sealed record QuorumRule
{
    private QuorumRule(QuorumKind kind, int count)
    {
        Kind = kind;
        Count = count;
    }

    public QuorumKind Kind { get; }

    /// <summary>M for <see cref="QuorumKind.Any"/>; 0 otherwise.</summary>
    public int Count { get; }

    public static QuorumRule Processes { get; } = new(QuorumKind.Processes, 0);

    public static QuorumRule Clusters { get; } = new(QuorumKind.Clusters, 0);

    public static QuorumRule Any(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new QuorumRule(QuorumKind.Any, count);
    }

    /// <summary>Parses "processes", "clusters" or "any:M" (case-insensitive).</summary>
    public static QuorumRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("processes", StringComparison.OrdinalIgnoreCase))
        {
            return Processes;
        }

        if (t.Equals("clusters", StringComparison.OrdinalIgnoreCase))
        {
            return Clusters;
        }

        const string anyPrefix = "any:";
        if (t.StartsWith(anyPrefix, StringComparison.OrdinalIgnoreCase)
            && int.TryParse(t.AsSpan(anyPrefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var m)
            && m >= 1)
        {
            return Any(m);
        }

        throw new ArgumentException(
            $"Unknown quorum rule '{text}'; expected processes, clusters or any:M with M >= 1.", nameof(text));
    }

    /// <summary>Throws when the rule can never be met in <paramref name="layout"/> (any:M with M &gt; n).</summary>
    public void Validate(ClusterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (Kind == QuorumKind.Any && Count > layout.N)
        {
            throw new ArgumentException(
                $"Quorum any:{Count} can never be met: the layout has only {layout.N} processes.", nameof(layout));
        }
    }

    public QuorumTracker CreateTracker(ClusterLayout layout) => new(this, layout);

    /// <summary>Whether the distinct processes among <paramref name="senders"/> form a quorum.</summary>
    public bool IsQuorum(IEnumerable<ProcessId> senders, ClusterLayout layout)
    {
        ArgumentNullException.ThrowIfNull(senders);
        var tracker = CreateTracker(layout);
        foreach (var s in senders)
        {
            tracker.Add(s);
        }

        return tracker.IsQuorum;
    }

    /// <summary>
    /// The largest k such that EVERY choice of k crashed processes still leaves a quorum of live ones
    /// (so crash victims may be picked freely). −1 when even the full set is no quorum (never, after
    /// <see cref="Validate"/>).
    /// </summary>
    public int MaxTolerableCrashes(ClusterLayout layout)
    {
        Validate(layout);
        switch (Kind)
        {
            case QuorumKind.Any:
                return layout.N - Count;
            case QuorumKind.Clusters:
            {
                // The cheapest way to break it kills the smallest clusters until at most m/2 remain.
                var sorted = layout.Sizes.ToArray();
                Array.Sort(sorted);
                var mustKill = layout.ClusterCount - (layout.ClusterCount / 2);
                var cost = 0;
                for (var i = 0; i < mustKill; i++)
                {
                    cost += sorted[i];
                }

                return cost - 1;
            }

            default:
            {
                // Killing part of a cluster removes nothing (one live member represents it), so the adversary
                // kills whole clusters holding at least ceil(n/2) processes: the smallest such subset sum.
                var n = layout.N;
                var need = n - (n / 2);
                var reachable = new bool[n + 1];
                reachable[0] = true;
                foreach (var size in layout.Sizes)
                {
                    for (var sum = n; sum >= size; sum--)
                    {
                        reachable[sum] |= reachable[sum - size];
                    }
                }

                var best = need;
                while (!reachable[best])
                {
                    best++;
                }

                return best - 1;
            }
        }
    }

    public override string ToString() => Kind switch
    {
        QuorumKind.Processes => "processes",
        QuorumKind.Clusters => "clusters",
        _ => string.Create(CultureInfo.InvariantCulture, $"any:{Count}"),
    };
}
