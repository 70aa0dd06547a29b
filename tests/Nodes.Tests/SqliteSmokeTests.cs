using Microsoft.Data.Sqlite;

namespace Decentral.Nodes.Tests;

public sealed class SqliteSmokeTests
{
    [Fact]
    public void Sqlite_file_database_in_wal_mode_round_trips_a_row()
    {
        var path = Path.Combine(Path.GetTempPath(), $"decentral-smoke-{Guid.NewGuid():N}.db");
        try
        {
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA journal_mode=WAL;";
                Assert.Equal("wal", (string?)cmd.ExecuteScalar());
                cmd.CommandText = "CREATE TABLE t(x BLOB); INSERT INTO t VALUES (x'0102');";
                cmd.ExecuteNonQuery();
            }
            using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT x FROM t;";
                Assert.Equal(new byte[] { 1, 2 }, (byte[]?)cmd.ExecuteScalar());
            }
        }
        finally
        {
            foreach (var f in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(f);
            }
        }
    }
}
