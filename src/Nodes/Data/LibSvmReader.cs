using System.Globalization;

namespace Decentral.Nodes.Data;

/// <summary>How labels are turned into targets.</summary>
public enum LabelMode
{
    /// <summary>
    /// Classification: the file must hold one or two distinct label values; with two, the larger maps
    /// to +1 and the smaller to −1 (so 0/1, ±1 and 1/2 files all work). A file with a single label
    /// value is accepted only if that value is already ±1 (a shard of a ±1 set); more than two → error.
    /// </summary>
    Binary,

    /// <summary>Regression (least squares): labels are kept as written.</summary>
    Raw,

    /// <summary>
    /// Classification into K ≥ 2 classes: the K distinct label values (0 … K−1, 1 … K, or any others)
    /// — or the declared ones (<see cref="LibSvmOptions.Classes"/>) — map to class indices 0 … K−1 in
    /// increasing order of the value; the data set's <see cref="Dataset.Classes"/> holds the map.
    /// </summary>
    MultiClass,
}

/// <summary>Options for <see cref="LibSvmReader"/>.</summary>
public sealed record LibSvmOptions
{
    public LabelMode Labels { get; init; } = LabelMode.Binary;

    /// <summary>
    /// The number of features, when known (a test set may not use the last features); null = the
    /// largest index seen. An index above a given dimension is an error.
    /// </summary>
    public int? Dimension { get; init; }

    /// <summary>
    /// With <see cref="LabelMode.MultiClass"/>: the label values of the classes (e.g. 0 … 9), when known —
    /// a shard or test file may not hold every class; a row with another label is an error on its line.
    /// Null = the distinct labels of the file.
    /// </summary>
    public IReadOnlyList<double>? Classes { get; init; }
}

/// <summary>
/// Reads LIBSVM / SVMlight text: one row per line, <c>label index:value index:value …</c>, indices
/// 1-based and strictly increasing within a row. Tolerates CRLF, a missing final newline, blank lines,
/// rows with no features and comments after '#'. Everything malformed throws a
/// <see cref="LibSvmFormatException"/> naming the file, the line and the token.
/// </summary>
public static class LibSvmReader
{
    /// <summary>Reads a file; errors name it as given in <paramref name="path"/>, the data set is named by its file name.</summary>
    public static Dataset Read(string path, LibSvmOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read(reader, path, options);
    }

    /// <param name="source">How to name the input in error messages (a file name, "inline").</param>
    public static Dataset Read(TextReader reader, string source, LibSvmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new LibSvmOptions();
        if (options.Dimension is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Dimension, "Dimension must be positive when given.");
        }

        var pointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        var labels = new LabelCollector(options.Labels, options.Classes, (line, token, problem) => new LibSvmFormatException(source, line, token, problem));
        var maxIndex = 0;
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var text = line.AsSpan();
            var hash = text.IndexOf('#');
            if (hash >= 0)
            {
                text = text[..hash];
            }
            text = text.Trim(); // also drops the '\r' of CRLF files read on any platform
            if (text.IsEmpty)
            {
                continue;
            }

            var tokens = new Tokenizer(text);
            var labelToken = tokens.Next();
            if (!double.TryParse(labelToken, NumberStyles.Float, CultureInfo.InvariantCulture, out var label))
            {
                throw new LibSvmFormatException(source, lineNumber, labelToken.ToString(), "bad label: expected a finite number");
            }
            labels.Add(label, lineNumber, labelToken);

            var previous = 0;
            while (true)
            {
                var token = tokens.Next();
                if (token.IsEmpty)
                {
                    break;
                }
                var colon = token.IndexOf(':');
                if (colon < 0)
                {
                    throw new LibSvmFormatException(source, lineNumber, token.ToString(), "missing ':' in index:value");
                }
                var indexText = token[..colon];
                var valueText = token[(colon + 1)..];
                if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw new LibSvmFormatException(source, lineNumber, token.ToString(), "bad index: expected a positive integer");
                }
                if (index == 0)
                {
                    throw new LibSvmFormatException(source, lineNumber, token.ToString(), "index 0: LIBSVM indices are 1-based");
                }
                if (index <= previous)
                {
                    throw new LibSvmFormatException(source, lineNumber, token.ToString(), $"index {index} does not increase (previous index {previous})");
                }
                if (options.Dimension is { } dim && index > dim)
                {
                    throw new LibSvmFormatException(source, lineNumber, token.ToString(), $"index {index} exceeds the configured dimension {dim}");
                }
                if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new LibSvmFormatException(source, lineNumber, token.ToString(), "bad value: expected a number");
                }
                if (!double.IsFinite(value))
                {
                    throw new LibSvmFormatException(source, lineNumber, token.ToString(), "value is NaN or infinite");
                }
                previous = index;
                columns.Add(index - 1);
                values.Add(value);
            }
            maxIndex = Math.Max(maxIndex, previous);
            pointers.Add(values.Count);
        }

        if (labels.Count == 0)
        {
            throw new LibSvmFormatException(source, 0, null, "the data set is empty (no rows)");
        }
        var dimension = options.Dimension ?? maxIndex;
        if (dimension == 0)
        {
            throw new LibSvmFormatException(source, 0, null, "no row has any feature, so the dimension is unknown; configure it");
        }
        var (targets, classes) = labels.Finish();
        return new Dataset(dimension, [.. pointers], [.. columns], [.. values], targets, Path.GetFileName(source), classes);
    }

    /// <summary>Splits on spaces and tabs without allocating.</summary>
    private ref struct Tokenizer(ReadOnlySpan<char> text)
    {
        private ReadOnlySpan<char> _rest = text;

        public ReadOnlySpan<char> Next()
        {
            _rest = _rest.TrimStart(" \t");
            var end = _rest.IndexOfAny(' ', '\t');
            var token = end < 0 ? _rest : _rest[..end];
            _rest = end < 0 ? [] : _rest[end..];
            return token;
        }
    }
}
