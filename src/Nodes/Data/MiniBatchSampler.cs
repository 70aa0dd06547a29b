using Decentral.Agreement;

namespace Decentral.Nodes.Data;

/// <summary>
/// The mini-batch of iteration t for one node: a pure function of (seed, node, t), so a restarted node
/// draws exactly the batches it would have drawn and no generator state is checkpointed. Rows are drawn
/// without replacement within a batch (Floyd's algorithm, O(batch) work and memory) and returned in
/// increasing order; a batch size ≥ the row count gives the full batch 0…rows−1.
/// Not thread-safe (one sampler per node).
/// </summary>
public sealed class MiniBatchSampler
{
    private readonly ulong _seed;
    private readonly HashSet<int> _chosen;

    public MiniBatchSampler(int rows, int batchSize, ulong seed, int node)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(node);
        Rows = rows;
        BatchSize = Math.Min(batchSize, rows);
        Node = node;
        _seed = seed;
        _chosen = new HashSet<int>(IsFullBatch ? 0 : BatchSize);
    }

    public int Rows { get; }

    /// <summary>The effective batch size (at most <see cref="Rows"/>).</summary>
    public int BatchSize { get; }

    public int Node { get; }

    public bool IsFullBatch => BatchSize == Rows;

    /// <summary>Writes the rows of iteration <paramref name="iteration"/>'s batch into <paramref name="destination"/>.</summary>
    /// <returns>The number of rows written (<see cref="BatchSize"/>).</returns>
    public int Sample(long iteration, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        if (destination.Length < BatchSize)
        {
            throw new ArgumentException($"Destination holds {destination.Length} rows, the batch has {BatchSize}.", nameof(destination));
        }
        if (IsFullBatch)
        {
            for (var i = 0; i < Rows; i++)
            {
                destination[i] = i;
            }
            return Rows;
        }

        // Floyd: for j = n−k … n−1 pick r in [0, j]; take r unless already taken, else take j.
        var random = SeededRandom.For(_seed, SeedPurpose.Sampling, Node, iteration);
        _chosen.Clear();
        var count = 0;
        for (var j = Rows - BatchSize; j < Rows; j++)
        {
            var r = random.Next(j + 1);
            var pick = _chosen.Add(r) ? r : j;
            if (pick == j)
            {
                _chosen.Add(j);
            }
            destination[count++] = pick;
        }
        destination[..count].Sort();
        return count;
    }

    /// <summary>Allocating convenience for <see cref="Sample(long, Span{int})"/>.</summary>
    public int[] Sample(long iteration)
    {
        var rows = new int[BatchSize];
        Sample(iteration, rows);
        return rows;
    }
}
