using System.Globalization;

namespace Decentral.Agreement;

/// <summary>
/// How n processes are split into m disjoint clusters (sizes may differ). Global indices run cluster by
/// cluster: cluster 0's members first, then cluster 1's, and so on.
/// </summary>
public sealed class ClusterLayout
{
    private readonly int[] sizes;
    private readonly int[] offsets;
    private readonly ProcessId[] processes;

    public ClusterLayout(IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Count == 0)
        {
            throw new ArgumentException("A layout needs at least one cluster.", nameof(sizes));
        }

        this.sizes = new int[sizes.Count];
        offsets = new int[sizes.Count];
        long total = 0;
        for (var c = 0; c < sizes.Count; c++)
        {
            if (sizes[c] <= 0)
            {
                throw new ArgumentException(
                    $"Cluster {c + 1} has size {sizes[c]}; every cluster needs at least one process.", nameof(sizes));
            }

            this.sizes[c] = sizes[c];
            offsets[c] = (int)total;
            total += sizes[c];
            if (total > MaxProcesses)
            {
                throw new ArgumentException($"A layout holds at most {MaxProcesses} processes.", nameof(sizes));
            }
        }

        N = (int)total;
        processes = new ProcessId[N];
        for (var c = 0; c < this.sizes.Length; c++)
        {
            for (var j = 0; j < this.sizes[c]; j++)
            {
                processes[offsets[c] + j] = new ProcessId(c, j);
            }
        }
    }

    /// <summary>Upper bound on n: quorum bookkeeping and weight vectors are O(n) per round.</summary>
    public const int MaxProcesses = 1 << 20;

    /// <summary>Total number of processes n.</summary>
    public int N { get; }

    /// <summary>Number of clusters m.</summary>
    public int ClusterCount => sizes.Length;

    public IReadOnlyList<int> Sizes => sizes;

    /// <summary>All processes in global-index order.</summary>
    public IReadOnlyList<ProcessId> Processes => processes;

    /// <summary>m clusters of s processes each.</summary>
    public static ClusterLayout Uniform(int clusters, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var all = new int[clusters];
        Array.Fill(all, size);
        return new ClusterLayout(all);
    }

    /// <summary>Parses a comma-separated size list such as "3,2,4".</summary>
    public static ClusterLayout ParseSizes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]))
            {
                throw new ArgumentException(
                    $"'{parts[i]}' is not a cluster size; expected comma-separated positive integers such as 3,2,4.",
                    nameof(text));
            }
        }

        return new ClusterLayout(result);
    }

    public int SizeOf(int cluster)
    {
        CheckCluster(cluster);
        return sizes[cluster];
    }

    /// <summary>Global index of the first member of <paramref name="cluster"/>.</summary>
    public int FirstIndexOf(int cluster)
    {
        CheckCluster(cluster);
        return offsets[cluster];
    }

    public IReadOnlyList<ProcessId> Members(int cluster)
    {
        CheckCluster(cluster);
        return new ArraySegment<ProcessId>(processes, offsets[cluster], sizes[cluster]);
    }

    public bool Contains(ProcessId process) =>
        process.Cluster < sizes.Length && process.Member < sizes[process.Cluster];

    /// <summary>Global index (0 … n−1) of a process.</summary>
    public int IndexOf(ProcessId process)
    {
        if (!Contains(process))
        {
            throw new ArgumentException($"{process} is not a process of this layout.", nameof(process));
        }

        return offsets[process.Cluster] + process.Member;
    }

    public ProcessId ProcessAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, N);
        return processes[index];
    }

    /// <summary>1-based display name, "c1/n1".</summary>
    public string Name(ProcessId process)
    {
        _ = IndexOf(process);
        return process.ToString();
    }

    public override string ToString() => string.Join(',', sizes);

    private void CheckCluster(int cluster)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, sizes.Length);
    }
}
