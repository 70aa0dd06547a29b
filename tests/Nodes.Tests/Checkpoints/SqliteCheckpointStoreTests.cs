using Decentral.Nodes.Checkpoints;
using Microsoft.Data.Sqlite;

namespace Decentral.Nodes.Tests.Checkpoints;

public sealed class SqliteCheckpointStoreTests : CheckpointStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("decentral-ckpt-").FullName;

    private string DatabasePath => Path.Combine(_directory, "checkpoints.db");

    protected override ICheckpointStore CreateStore(int keepLast) => new SqliteCheckpointStore(DatabasePath, keepLast);

    protected override ICheckpointStore Reopen(ICheckpointStore store)
    {
        // Durability: close the file completely, then open it again from disk.
        store.Dispose();
        return new SqliteCheckpointStore(DatabasePath, store.KeepLast);
    }

    protected override void CorruptLatest(ICheckpointStore store, string node) =>
        Rewrite(node, bytes =>
        {
            bytes[bytes.Length / 2] ^= 0x10;
            return bytes;
        });

    protected override void TearLatest(ICheckpointStore store, string node) => Rewrite(node, bytes => bytes[..(bytes.Length / 2)]);

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Damage from outside the store, through a connection of its own (as a bad disk would).</summary>
    private void Rewrite(string node, Func<byte[], byte[]> damage)
    {
        using var connection = Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT seq, record FROM checkpoints WHERE node = $node ORDER BY seq DESC LIMIT 1";
        read.Parameters.AddWithValue("$node", node);
        long seq;
        byte[] bytes;
        using (var reader = read.ExecuteReader())
        {
            Assert.True(reader.Read());
            seq = reader.GetInt64(0);
            bytes = (byte[])reader.GetValue(1);
        }
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE checkpoints SET record = $record WHERE node = $node AND seq = $seq";
        write.Parameters.AddWithValue("$record", damage(bytes));
        write.Parameters.AddWithValue("$node", node);
        write.Parameters.AddWithValue("$seq", seq);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    [Fact]
    public void Database_uses_wal_with_synchronous_full()
    {
        using var store = new SqliteCheckpointStore(DatabasePath);
        store.Save(Make("c1/n1", 1));

        Assert.Equal("wal", store.Pragma("journal_mode"));
        Assert.Equal("2", store.Pragma("synchronous")); // 2 = FULL: fsync at every commit
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode"; // WAL is a property of the file, seen by others too
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void Unknown_schema_version_is_a_clear_error()
    {
        using (var store = new SqliteCheckpointStore(DatabasePath))
        {
            store.Save(Make("c1/n1", 1));
        }
        using (var connection = Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE meta SET value = '99' WHERE key = 'schema-version'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var e = Assert.Throws<CheckpointFormatException>(() => new SqliteCheckpointStore(DatabasePath));
        Assert.Contains("schema version 99 is not supported", e.Message, StringComparison.Ordinal);
        Assert.Contains(DatabasePath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        File.WriteAllText(DatabasePath, "this is not a SQLite database, just some text that is long enough to have a header");

        var e = Assert.Throws<CheckpointFormatException>(() => new SqliteCheckpointStore(DatabasePath));
        Assert.Contains("cannot open as a checkpoint database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_of_another_format_version_is_reported_by_version()
    {
        using var store = new SqliteCheckpointStore(DatabasePath);
        store.Save(Make("c1/n1", 1));
        store.Save(Make("c1/n1", 2));
        Rewrite("c1/n1", bytes =>
        {
            bytes[4] = 3; // version field (u16 little-endian at offset 4)
            return bytes;
        });

        var loaded = store.LoadLatestValid("c1/n1");

        Assert.Equal(1, loaded.Checkpoint!.Iteration);
        Assert.Equal(["checkpoint 2 of c1/n1: checkpoint format version 3 is not supported (this build reads versions 1 to 2), using 1"], loaded.Problems);
    }

    [Fact]
    public void Use_after_dispose_is_refused()
    {
        var store = new SqliteCheckpointStore(DatabasePath);
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.Save(Make("c1/n1", 1)));
    }
}
