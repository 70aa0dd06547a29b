namespace Decentral.Nodes.Checkpoints;

/// <summary>
/// The simulator's non-volatile memory: records survive a simulated crash because the restarted node is
/// given the same instance. Holds the encoded bytes (not the objects), so the codec and the checks run
/// exactly as with SQLite, and offers fault hooks that damage the newest record as a crash mid-write or
/// a bad disk would.
/// </summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, NodeRecords> _nodes = new(StringComparer.Ordinal);

    public InMemoryCheckpointStore(int keepLast = 3) => KeepLast = CheckpointSelection.CheckKeepLast(keepLast);

    public int KeepLast { get; }

    public long Save(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var bytes = CheckpointCodec.Encode(checkpoint);
        lock (_gate)
        {
            if (!_nodes.TryGetValue(checkpoint.Node, out var records))
            {
                records = new NodeRecords();
                _nodes.Add(checkpoint.Node, records);
            }
            var sequence = ++records.LastSequence;
            records.Entries.Add((sequence, bytes));
            // Read back before pruning, as the SQLite store does inside its transaction.
            var stored = records.Entries[^1].Bytes;
            if (!CheckpointCodec.TryDecode(stored, out var back, out var problem) || !back.Equals(checkpoint))
            {
                records.Entries.RemoveAt(records.Entries.Count - 1);
                records.LastSequence--;
                throw new CheckpointFormatException($"checkpoint {sequence} of {checkpoint.Node} did not read back intact: {(problem.Length > 0 ? problem : "contents differ")}");
            }
            if (records.Entries.Count > KeepLast)
            {
                records.Entries.RemoveRange(0, records.Entries.Count - KeepLast);
            }
            return sequence;
        }
    }

    public CheckpointLoadResult LoadLatestValid(string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        (long, byte[])[] newestFirst;
        lock (_gate)
        {
            newestFirst = _nodes.TryGetValue(node, out var records) ? [.. records.Entries] : [];
        }
        Array.Reverse(newestFirst);
        return CheckpointSelection.Select(node, newestFirst);
    }

    public int Count(string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        lock (_gate)
        {
            return _nodes.TryGetValue(node, out var records) ? records.Entries.Count : 0;
        }
    }

    /// <summary>Fault hook: flips one bit in the middle of the newest record of <paramref name="node"/> (bit rot).</summary>
    public void CorruptLatest(string node) => Damage(node, bytes =>
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x10;
        return copy;
    });

    /// <summary>
    /// Fault hook: cuts the newest record of <paramref name="node"/> short, as a crash in the middle of
    /// writing it would (<paramref name="keptFraction"/> of its bytes survive).
    /// </summary>
    public void TearLatest(string node, double keptFraction = 0.5)
    {
        if (!(keptFraction >= 0 && keptFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(keptFraction), keptFraction, "The surviving fraction must lie in [0, 1).");
        }
        Damage(node, bytes => bytes[..(int)(bytes.Length * keptFraction)]);
    }

    /// <summary>Forgets every record (a disk that was wiped), e.g. to test a node starting from scratch.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _nodes.Clear();
        }
    }

    public void Dispose()
    {
        // Nothing to release: the "disk" must outlive every node that uses it.
    }

    private void Damage(string node, Func<byte[], byte[]> damage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        lock (_gate)
        {
            if (!_nodes.TryGetValue(node, out var records) || records.Entries.Count == 0)
            {
                throw new InvalidOperationException($"There is no checkpoint of {node} to damage.");
            }
            var (sequence, bytes) = records.Entries[^1];
            records.Entries[^1] = (sequence, damage(bytes));
        }
    }

    private sealed class NodeRecords
    {
        public List<(long Sequence, byte[] Bytes)> Entries { get; } = [];

        public long LastSequence { get; set; }
    }
}
