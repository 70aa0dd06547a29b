using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Decentral.Nodes.Metrics;

/// <summary>Shared plumbing of the text sinks: one writer, one lock, flush on dispose.</summary>
public abstract class TextMetricsSink : IMetricsSink
{
    private readonly object _gate = new();
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private bool _disposed;

    protected TextMetricsSink(TextWriter writer, bool ownsWriter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    protected static StreamWriter CreateFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        return new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    public void Write(NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var line = Format(metrics);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            WriteHeaderOnce(_writer);
            _writer.Write(line);
            _writer.Write('\n');
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _writer.Flush();
            }
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
            WriteHeaderOnce(_writer); // an empty CSV still names its columns
            _writer.Flush();
            if (_ownsWriter)
            {
                _writer.Dispose();
            }
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Called under the lock before the first record.</summary>
    protected virtual void WriteHeaderOnce(TextWriter writer)
    {
    }

    protected abstract string Format(NodeMetrics metrics);

    protected static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Comma-separated values with a header row (<see cref="NodeMetrics.Columns"/>); doubles round-trip.</summary>
public sealed class CsvMetricsSink : TextMetricsSink
{
    private bool _headerWritten;

    public CsvMetricsSink(string path)
        : base(CreateFile(path), ownsWriter: true)
    {
    }

    public CsvMetricsSink(TextWriter writer)
        : base(writer, ownsWriter: false)
    {
    }

    protected override void WriteHeaderOnce(TextWriter writer)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            writer.Write(string.Join(',', NodeMetrics.Columns));
            writer.Write('\n');
        }
    }

    protected override string Format(NodeMetrics m) => string.Join(',',
        Quote(m.Node), m.Iteration.ToString(CultureInfo.InvariantCulture), Number(m.Loss), Number(m.GradientNormSquared),
        m.IterationsSkipped.ToString(CultureInfo.InvariantCulture), m.RoundsSkipped.ToString(CultureInfo.InvariantCulture),
        m.MessagesSent.ToString(CultureInfo.InvariantCulture), m.MessagesReceived.ToString(CultureInfo.InvariantCulture),
        m.MessagesDropped.ToString(CultureInfo.InvariantCulture), m.ModelBytesSent.ToString(CultureInfo.InvariantCulture),
        m.ModelBytesReceived.ToString(CultureInfo.InvariantCulture), Number(m.WallTime.TotalSeconds), Number(m.VirtualTime.TotalSeconds));

    // RFC 4180: quote a field holding a separator, a quote or a line break; double the quotes.
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}

/// <summary>
/// One JSON object per line, keys as in <see cref="NodeMetrics.Columns"/>. JSON has no NaN or ∞, so
/// non-finite values are written as null.
/// </summary>
public sealed class JsonLinesMetricsSink : TextMetricsSink
{
    public JsonLinesMetricsSink(string path)
        : base(CreateFile(path), ownsWriter: true)
    {
    }

    public JsonLinesMetricsSink(TextWriter writer)
        : base(writer, ownsWriter: false)
    {
    }

    protected override string Format(NodeMetrics m)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            var c = NodeMetrics.Columns;
            json.WriteStartObject();
            json.WriteString(c[0], m.Node);
            json.WriteNumber(c[1], m.Iteration);
            WriteDouble(json, c[2], m.Loss);
            WriteDouble(json, c[3], m.GradientNormSquared);
            json.WriteNumber(c[4], m.IterationsSkipped);
            json.WriteNumber(c[5], m.RoundsSkipped);
            json.WriteNumber(c[6], m.MessagesSent);
            json.WriteNumber(c[7], m.MessagesReceived);
            json.WriteNumber(c[8], m.MessagesDropped);
            json.WriteNumber(c[9], m.ModelBytesSent);
            json.WriteNumber(c[10], m.ModelBytesReceived);
            WriteDouble(json, c[11], m.WallTime.TotalSeconds);
            WriteDouble(json, c[12], m.VirtualTime.TotalSeconds);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
