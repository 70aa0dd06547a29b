namespace Decentral.Nodes.Checkpoints;

/// <summary>
/// Durable per-node checkpoint storage. Each saved record gets the next sequence number of its node;
/// the store keeps that node's last <see cref="KeepLast"/> records. Every record is verified when it is
/// written (read back) and again when it is read. Implementations are thread-safe.
/// </summary>
public interface ICheckpointStore : IDisposable
{
    /// <summary>How many records per node are kept (older ones are pruned on save).</summary>
    int KeepLast { get; }

    /// <summary>Stores a checkpoint atomically and returns its sequence number (1, 2, … per node).</summary>
    /// <exception cref="CheckpointFormatException">The record did not read back intact.</exception>
    long Save(Checkpoint checkpoint);

    /// <summary>
    /// The newest record of <paramref name="node"/> that verifies, with a description of every newer
    /// record that did not (e.g. "checkpoint 41 of c1/n2: checksum mismatch, using 40").
    /// </summary>
    CheckpointLoadResult LoadLatestValid(string node);

    /// <summary>How many records (valid or not) the store holds for <paramref name="node"/>.</summary>
    int Count(string node);
}

/// <summary>The outcome of <see cref="ICheckpointStore.LoadLatestValid"/>.</summary>
/// <param name="Checkpoint">The newest valid record, or null when there is none (a fresh node).</param>
/// <param name="Sequence">Its sequence number, 0 when there is none.</param>
/// <param name="Problems">One line per newer record that was skipped, newest first.</param>
public sealed record CheckpointLoadResult(Checkpoint? Checkpoint, long Sequence, IReadOnlyList<string> Problems)
{
    public bool Found => Checkpoint is not null;
}

/// <summary>The selection rule both stores share: newest first, first record that decodes wins.</summary>
internal static class CheckpointSelection
{
    public static CheckpointLoadResult Select(string node, IEnumerable<(long Sequence, byte[] Bytes)> newestFirst)
    {
        var failures = new List<(long Sequence, string Problem)>();
        foreach (var (sequence, bytes) in newestFirst)
        {
            if (!CheckpointCodec.TryDecode(bytes, out var checkpoint, out var problem))
            {
                failures.Add((sequence, problem));
                continue;
            }
            if (checkpoint.Node != node)
            {
                failures.Add((sequence, $"the record belongs to {checkpoint.Node}"));
                continue;
            }
            return new CheckpointLoadResult(checkpoint, sequence, Describe(node, failures, $"using {sequence}"));
        }
        return new CheckpointLoadResult(null, 0, Describe(node, failures, "no valid checkpoint left"));
    }

    private static string[] Describe(string node, List<(long Sequence, string Problem)> failures, string outcome) =>
        failures.Select(f => $"checkpoint {f.Sequence} of {node}: {f.Problem}, {outcome}").ToArray();

    public static int CheckKeepLast(int keepLast)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        return keepLast;
    }
}
