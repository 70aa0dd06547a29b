using System.Globalization;

namespace Decentral.Nodes.Checkpoints;

/// <summary>What <see cref="CheckpointStoreRecovery.Prepare"/> found: null problem when the store was readable.</summary>
/// <param name="Problem">Why the store could not be used, as SQLite or the file system said it.</param>
/// <param name="SetAsideTo">Where the unreadable file was moved.</param>
public sealed record CheckpointStoreCheck(string? Problem, string? SetAsideTo)
{
    public static readonly CheckpointStoreCheck Healthy = new(null, null);

    /// <summary>One line for logs and `status`: what happened and what the process does about it.</summary>
    public string? Describe() => Problem is null
        ? null
        : $"checkpoint store unreadable ({Problem}); set aside as {SetAsideTo}; started afresh, skipping to the frontier";
}

/// <summary>
/// Opens a process's SQLite checkpoint file before its nodes start and reads all of it. A file that cannot
/// be opened or read (a damaged page, "database disk image is malformed", an I/O error) would otherwise
/// fail every node's start and leave the cluster idle forever; instead it is moved aside (with its WAL and
/// shared-memory files) under a name that says when, an empty store takes its place (so the process still
/// counts as restarted: it rejoins, never founds the cluster), and the nodes start afresh and skip to the
/// frontier on the first quorum they see. When even that fails, <see cref="Prepare"/> throws and the
/// process must exit non-zero.
/// </summary>
public static class CheckpointStoreRecovery
{
    /// <exception cref="CheckpointFormatException">The store is unreadable and cannot be set aside or replaced.</exception>
    public static CheckpointStoreCheck Prepare(string path, int keepLast, DateTime? now = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            return CheckpointStoreCheck.Healthy;
        }

        string problem;
        try
        {
            using var store = new SqliteCheckpointStore(path, keepLast);
            store.Verify();
            return CheckpointStoreCheck.Healthy;
        }
        catch (Exception e) when (e is CheckpointFormatException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            problem = e.Message.StartsWith(path, StringComparison.Ordinal) || e.Message.StartsWith(Path.GetFullPath(path), StringComparison.Ordinal)
                ? e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]
                : e.Message;
        }

        var aside = path + ".unreadable-" + (now ?? DateTime.UtcNow).ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        try
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(path + suffix))
                {
                    File.Move(path + suffix, aside + suffix, overwrite: true);
                }
            }

            using var fresh = new SqliteCheckpointStore(path, keepLast);
        }
        catch (Exception e) when (e is CheckpointFormatException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            throw new CheckpointFormatException(
                $"{path}: the checkpoint store is unreadable ({problem}) and could not be replaced by an empty one ({e.Message}); move it aside by hand and start again.", e);
        }

        return new CheckpointStoreCheck(problem, aside);
    }
}
