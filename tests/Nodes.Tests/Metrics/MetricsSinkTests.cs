using Decentral.Nodes.Metrics;
using System.Globalization;
using System.Text.Json;

namespace Decentral.Nodes.Tests.Metrics;

public sealed class MetricsSinkTests
{
    private static NodeMetrics Sample(string node, long iteration, double loss = 0.1 + 0.2) =>
        new(node, iteration, loss, 1e-300, 2, 3, 40, 41, 1, 4096, 4100, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(12.25));

    [Fact]
    public void In_memory_sink_keeps_records_in_order_and_by_node()
    {
        using var sink = new InMemoryMetricsSink();
        sink.Write(Sample("c1/n1", 1));
        sink.Write(Sample("c1/n2", 1));
        sink.Write(Sample("c1/n1", 2));

        Assert.Equal(3, sink.Snapshot().Count);
        Assert.Equal(new long[] { 1, 2 }, sink.For("c1/n1").Select(m => m.Iteration));
    }

    [Fact]
    public void Csv_has_a_header_and_round_trips_every_field()
    {
        var writer = new StringWriter();
        using (var sink = new CsvMetricsSink(writer))
        {
            sink.Write(Sample("c1/n1", 7));
            sink.Write(Sample("odd,\"name\"", 8, double.NaN));
        }

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', NodeMetrics.Columns), lines[0]);
        var fields = lines[1].Split(',');
        Assert.Equal(NodeMetrics.Columns.Count, fields.Length);
        Assert.Equal("c1/n1", fields[0]);
        Assert.Equal(7, long.Parse(fields[1], CultureInfo.InvariantCulture));
        Assert.Equal(0.1 + 0.2, double.Parse(fields[2], CultureInfo.InvariantCulture)); // "R" round-trips
        Assert.Equal(1e-300, double.Parse(fields[3], CultureInfo.InvariantCulture));
        Assert.Equal(1.5, double.Parse(fields[11], CultureInfo.InvariantCulture));
        Assert.Equal(12.25, double.Parse(fields[12], CultureInfo.InvariantCulture));
        Assert.StartsWith("\"odd,\"\"name\"\"\",8,NaN,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_csv_still_has_its_header()
    {
        var writer = new StringWriter();
        new CsvMetricsSink(writer).Dispose();
        Assert.Equal(string.Join(',', NodeMetrics.Columns) + "\n", writer.ToString());
    }

    [Fact]
    public void Json_lines_parse_as_one_object_per_record_with_null_for_non_finite()
    {
        var writer = new StringWriter();
        using (var sink = new JsonLinesMetricsSink(writer))
        {
            sink.Write(Sample("c1/n1", 7));
            sink.Write(Sample("c2/n1", 8, double.PositiveInfinity));
        }

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(NodeMetrics.Columns, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("c1/n1", root.GetProperty("node").GetString());
        Assert.Equal(0.1 + 0.2, root.GetProperty("loss").GetDouble());
        Assert.Equal(4100, root.GetProperty("model_bytes_received").GetInt64());
        Assert.Equal(12.25, root.GetProperty("virtual_seconds").GetDouble());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("loss").ValueKind);
    }

    [Fact]
    public void File_sinks_flush_on_dispose()
    {
        var directory = Directory.CreateTempSubdirectory("decentral-metrics-").FullName;
        try
        {
            var csv = Path.Combine(directory, "sub", "m.csv");
            var jsonl = Path.Combine(directory, "m.jsonl");
            using (var a = new CsvMetricsSink(csv))
            using (var b = new JsonLinesMetricsSink(jsonl))
            {
                for (var t = 1; t <= 100; t++)
                {
                    a.Write(Sample("c1/n1", t));
                    b.Write(Sample("c1/n1", t));
                }
            }
            Assert.Equal(101, File.ReadAllLines(csv).Length);
            Assert.Equal(100, File.ReadAllLines(jsonl).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Writing_after_dispose_is_refused()
    {
        var sink = new CsvMetricsSink(new StringWriter());
        sink.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sink.Write(Sample("c1/n1", 1)));
    }
}
