using System.Globalization;

namespace Decentral.Nodes.Data;

/// <summary>Options for <see cref="CsvReader"/>.</summary>
public sealed record CsvOptions
{
    public LabelMode Labels { get; init; } = LabelMode.Binary;

    /// <summary>With <see cref="LabelMode.MultiClass"/>: the declared class labels (see <see cref="LibSvmOptions.Classes"/>).</summary>
    public IReadOnlyList<double>? Classes { get; init; }

    /// <summary>
    /// Whether the first non-blank line names the columns; null = detect it: a first line with any field
    /// that is not a number is a header.
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>The label column by its header name (needs a header). At most one of name and index.</summary>
    public string? LabelColumnName { get; init; }

    /// <summary>The label column by its 0-based position. Neither name nor index: the last column.</summary>
    public int? LabelColumnIndex { get; init; }

    public char Separator { get; init; } = ',';
}

/// <summary>
/// Reads a numeric CSV file: one row per line, every field a number in the invariant culture (a '.'
/// decimal point), the same number of fields on every line, one of them the label and the others the
/// features in file order. A field may be enclosed in double quotes, but quoted separators are not
/// supported. Tolerates CRLF, blank lines and a missing final newline. Everything malformed throws a
/// <see cref="CsvFormatException"/> naming the file, the line and the field.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads a file; errors name it as given in <paramref name="path"/>, the data set is named by its file name.</summary>
    public static Dataset Read(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read(reader, path, options);
    }

    /// <param name="source">How to name the input in error messages (a file name, "inline").</param>
    public static Dataset Read(TextReader reader, string source, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new CsvOptions();
        Check(options);

        var labels = new LabelCollector(options.Labels, options.Classes, (line, token, problem) => new CsvFormatException(source, line, token, problem));
        var pointers = new List<int> { 0 };
        var columns = new List<int>();
        var values = new List<double>();
        string[]? header = null;
        var fields = -1;         // per line, fixed by the first line
        var labelColumn = -1;
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty)
            {
                continue;
            }
            if (fields < 0)
            {
                fields = CountFields(text, options.Separator);
                if (options.HasHeader ?? !AllNumbers(text, options.Separator))
                {
                    header = Names(text, options.Separator);
                    labelColumn = LabelColumn(options, header, fields, source, lineNumber);
                    continue;
                }
                labelColumn = LabelColumn(options, null, fields, source, lineNumber);
            }

            var count = CountFields(text, options.Separator);
            if (count != fields)
            {
                throw new CsvFormatException(source, lineNumber, null, $"{count} fields, but the first line has {fields}: every row needs the same columns");
            }
            var j = 0;
            foreach (var range in text.Split(options.Separator))
            {
                var field = Unquote(text[range]);
                var value = Number(field, source, lineNumber, j, header);
                if (j == labelColumn)
                {
                    labels.Add(value, lineNumber, field);
                }
                else if (value != 0.0)
                {
                    columns.Add(j < labelColumn ? j : j - 1);
                    values.Add(value);
                }
                j++;
            }
            pointers.Add(values.Count);
        }

        if (labels.Count == 0)
        {
            throw new CsvFormatException(source, 0, null, "the data set is empty (no rows)");
        }
        if (fields < 2)
        {
            throw new CsvFormatException(source, 0, null, "a row needs a label and at least one feature; every line has a single field");
        }
        var (targets, classes) = labels.Finish();
        return new Dataset(fields - 1, [.. pointers], [.. columns], [.. values], targets, Path.GetFileName(source), classes);
    }

    private static void Check(CsvOptions options)
    {
        if (options.LabelColumnName is not null && options.LabelColumnIndex is not null)
        {
            throw new ArgumentException("Give the label column by name or by index, not both.", nameof(options));
        }
        if (options.LabelColumnName is not null && options.HasHeader == false)
        {
            throw new ArgumentException($"The label column is named ('{options.LabelColumnName}') but the file is declared to have no header.", nameof(options));
        }
        if (options.LabelColumnIndex is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LabelColumnIndex, "The label column index is 0-based and cannot be negative.");
        }
        if (options.Separator is '"' or '\r' or '\n' || char.IsDigit(options.Separator) || options.Separator is '.' or '-' or '+')
        {
            throw new ArgumentException($"'{options.Separator}' cannot separate numeric fields.", nameof(options));
        }
    }

    private static int LabelColumn(CsvOptions options, string[]? header, int fields, string source, int line)
    {
        if (options.LabelColumnName is { } name)
        {
            if (header is null)
            {
                throw new CsvFormatException(source, line, null, $"the label column is named '{name}' but the first line is not a header (all its fields are numbers)");
            }
            var index = Array.IndexOf(header, name);
            return index >= 0 ? index
                : throw new CsvFormatException(source, line, name, $"no column is named '{name}' (the header has {string.Join(", ", header.Select(h => $"'{h}'"))})");
        }
        if (options.LabelColumnIndex is { } position)
        {
            return position < fields ? position
                : throw new CsvFormatException(source, line, null, $"the label column index {position} is outside the {fields} columns (0-based)");
        }
        return fields - 1;
    }

    private static double Number(ReadOnlySpan<char> field, string source, int line, int column, string[]? header)
    {
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        var where = header is null ? $"column {column}" : $"column {column} ('{header[column]}')";
        var problem = field.IsEmpty ? $"empty field in {where}: missing values are not supported"
            : double.IsFinite(value) ? $"not a number in {where}" : $"NaN or infinite value in {where}";
        throw new CsvFormatException(source, line, field.ToString(), problem);
    }

    private static int CountFields(ReadOnlySpan<char> text, char separator) => text.Count(separator) + 1;

    private static bool AllNumbers(ReadOnlySpan<char> text, char separator)
    {
        foreach (var range in text.Split(separator))
        {
            if (!double.TryParse(Unquote(text[range]), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }
        }
        return true;
    }

    private static string[] Names(ReadOnlySpan<char> text, char separator)
    {
        var names = new List<string>();
        foreach (var range in text.Split(separator))
        {
            names.Add(Unquote(text[range]).ToString());
        }
        return [.. names];
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> field)
    {
        field = field.Trim();
        return field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].Trim() : field;
    }
}
