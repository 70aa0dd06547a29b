using Microsoft.Data.Sqlite;
using System.Globalization;

namespace Decentral.Nodes.Checkpoints;

/// <summary>
/// Checkpoints in a SQLite file: WAL journal with synchronous=FULL (a committed checkpoint survives
/// power loss), one transaction per checkpoint that inserts the record, reads it back and verifies it,
/// and prunes the node's records beyond the newest K. Several nodes (and several store instances) may
/// share one file. Thread-safe: calls are serialised on one connection.
/// </summary>
public sealed class SqliteCheckpointStore : ICheckpointStore
{
    /// <summary>The layout of the tables; a file with another version is refused with a clear error.</summary>
    public const int SchemaVersion = 1;

    private const string SchemaKey = "schema-version";
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private bool _disposed;

    public SqliteCheckpointStore(string path, int keepLast = 3)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        KeepLast = CheckpointSelection.CheckKeepLast(keepLast);
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Without pooling, Dispose really closes the file: a "restarted process" reopens it from disk.
            Pooling = false,
            DefaultTimeout = 30,
        };
        _connection = new SqliteConnection(builder.ToString());
        try
        {
            _connection.Open();
            Initialise();
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new CheckpointFormatException($"{Path}: cannot open as a checkpoint database: {e.Message}", e);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    public int KeepLast { get; }

    public long Save(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var bytes = CheckpointCodec.Encode(checkpoint);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction();
            var sequence = Convert.ToInt64(
                Scalar(transaction, "SELECT COALESCE(MAX(seq), 0) + 1 FROM checkpoints WHERE node = $node", ("$node", checkpoint.Node)),
                CultureInfo.InvariantCulture);
            Execute(transaction, "INSERT INTO checkpoints(node, seq, record) VALUES ($node, $seq, $record)",
                ("$node", checkpoint.Node), ("$seq", sequence), ("$record", bytes));
            var stored = Scalar(transaction, "SELECT record FROM checkpoints WHERE node = $node AND seq = $seq",
                ("$node", checkpoint.Node), ("$seq", sequence)) as byte[];
            if (stored is null || !CheckpointCodec.TryDecode(stored, out var back, out var problem) || !back.Equals(checkpoint))
            {
                transaction.Rollback();
                throw new CheckpointFormatException($"{Path}: checkpoint {sequence} of {checkpoint.Node} did not read back intact; nothing was saved.");
            }
            Execute(transaction, "DELETE FROM checkpoints WHERE node = $node AND seq <= $oldest",
                ("$node", checkpoint.Node), ("$oldest", sequence - KeepLast));
            transaction.Commit();
            return sequence;
        }
    }

    public CheckpointLoadResult LoadLatestValid(string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        var records = new List<(long, byte[])>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT seq, record FROM checkpoints WHERE node = $node ORDER BY seq DESC";
            command.Parameters.AddWithValue("$node", node);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                // A value of the wrong SQLite type (damage outside our control) reads as an empty record.
                var bytes = reader.GetValue(1) as byte[] ?? [];
                records.Add((reader.GetInt64(0), bytes));
            }
        }
        return CheckpointSelection.Select(node, records);
    }

    public int Count(string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM checkpoints WHERE node = $node";
            command.Parameters.AddWithValue("$node", node);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _connection.Dispose();
        }
    }

    /// <summary>
    /// Reads the whole database: SQLite's page check (<c>PRAGMA quick_check</c>) and every record, so that a
    /// damaged page shows now, when the store opens, not later in a node's start.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is damaged (the message names it and SQLite's reason).</exception>
    public void Verify()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                var check = Convert.ToString(Scalar(null, "PRAGMA quick_check"), CultureInfo.InvariantCulture);
                if (!string.Equals(check, "ok", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CheckpointFormatException($"{Path}: the database is damaged (quick_check: {check}).");
                }

                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT node, seq, record FROM checkpoints";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    _ = reader.GetValue(2);
                }
            }
            catch (SqliteException e)
            {
                throw new CheckpointFormatException($"{Path}: cannot read the checkpoint database: {e.Message}", e);
            }
        }
    }

    /// <summary>The value of a PRAGMA on the store's own connection (tests check the durability settings).</summary>
    internal string? Pragma(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Convert.ToString(Scalar(null, $"PRAGMA {name}"), CultureInfo.InvariantCulture);
        }
    }

    private void Initialise()
    {
        var mode = Scalar(null, "PRAGMA journal_mode=WAL") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new CheckpointFormatException($"{Path}: SQLite refused WAL journaling (journal_mode = {mode}).");
        }
        Execute(null, "PRAGMA synchronous=FULL");
        using var transaction = _connection.BeginTransaction();
        Execute(transaction, "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        Execute(transaction,
            "CREATE TABLE IF NOT EXISTS checkpoints(node TEXT NOT NULL, seq INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY(node, seq)) WITHOUT ROWID");
        var version = Scalar(transaction, "SELECT value FROM meta WHERE key = $key", ("$key", SchemaKey)) as string;
        if (version is null)
        {
            Execute(transaction, "INSERT INTO meta(key, value) VALUES ($key, $value)",
                ("$key", SchemaKey), ("$value", SchemaVersion.ToString(CultureInfo.InvariantCulture)));
        }
        else if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new CheckpointFormatException(
                $"{Path}: checkpoint database schema version {version} is not supported (this build reads version {SchemaVersion}); move the file aside to start afresh.");
        }
        transaction.Commit();
    }

    private object? Scalar(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private void Execute(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
