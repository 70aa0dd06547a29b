using System.Diagnostics;

namespace Decentral.Nodes.Data;

/// <summary>
/// A labelled sparse data set in CSR form (row pointers, 0-based column indices, values) — or a
/// contiguous window of rows of one. Windows (<see cref="Slice"/>, <see cref="Shard"/>) share the
/// arrays of their parent, so sharding a large set costs nothing. Immutable once built.
/// A multi-class set stores class indices 0 … K−1 as labels and carries its <see cref="Classes"/>.
/// </summary>
public sealed class Dataset
{
    private readonly int[] _rowPointers;   // global: length = parent rows + 1
    private readonly int[] _columns;
    private readonly double[] _values;
    private readonly double[] _labels;     // global, indexed by parent row
    private readonly int _first;           // first parent row of this window
    private readonly ClassMap? _classes;

    /// <summary>
    /// Builds a data set from CSR arrays (taken over, not copied). Row i holds entries
    /// [rowPointers[i], rowPointers[i+1]); column indices are 0-based and strictly increasing
    /// within a row; every value and label must be finite. With <paramref name="classes"/>, every label
    /// is a class index in [0, K).
    /// </summary>
    public Dataset(int dimension, int[] rowPointers, int[] columnIndices, double[] values, double[] labels, string? name = null, ClassMap? classes = null)
    {
        ArgumentNullException.ThrowIfNull(rowPointers);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (labels.Length == 0)
        {
            throw new ArgumentException("A data set needs at least one row.", nameof(labels));
        }
        if (rowPointers.Length != labels.Length + 1)
        {
            throw new ArgumentException($"Expected {labels.Length + 1} row pointers for {labels.Length} rows, got {rowPointers.Length}.", nameof(rowPointers));
        }
        if (columnIndices.Length != values.Length)
        {
            throw new ArgumentException($"{columnIndices.Length} column indices but {values.Length} values.", nameof(values));
        }
        if (rowPointers[0] != 0 || rowPointers[^1] != values.Length)
        {
            throw new ArgumentException("Row pointers must start at 0 and end at the number of stored values.", nameof(rowPointers));
        }
        for (var i = 0; i < labels.Length; i++)
        {
            if (!double.IsFinite(labels[i]))
            {
                throw new ArgumentException($"Label of row {i} is not finite ({labels[i]}).", nameof(labels));
            }
            if (classes is not null && !(labels[i] >= 0 && labels[i] < classes.Count && labels[i] == Math.Floor(labels[i])))
            {
                throw new ArgumentException($"Label of row {i} ({labels[i]}) is not a class index in [0, {classes.Count}).", nameof(labels));
            }
            var (start, end) = (rowPointers[i], rowPointers[i + 1]);
            if (end < start)
            {
                throw new ArgumentException($"Row pointers decrease at row {i}.", nameof(rowPointers));
            }
            for (var k = start; k < end; k++)
            {
                var c = columnIndices[k];
                if (c < 0 || c >= dimension)
                {
                    throw new ArgumentException($"Row {i}: column {c} is outside [0, {dimension}).", nameof(columnIndices));
                }
                if (k > start && c <= columnIndices[k - 1])
                {
                    throw new ArgumentException($"Row {i}: column indices must be strictly increasing ({columnIndices[k - 1]} then {c}).", nameof(columnIndices));
                }
                if (!double.IsFinite(values[k]))
                {
                    throw new ArgumentException($"Row {i}, column {c}: value is not finite ({values[k]}).", nameof(values));
                }
            }
        }
        Dimension = dimension;
        _rowPointers = rowPointers;
        _columns = columnIndices;
        _values = values;
        _labels = labels;
        _first = 0;
        _classes = classes;
        Rows = labels.Length;
        Name = name ?? "data";
    }

    private Dataset(Dataset parent, int first, int rows, string name)
    {
        Dimension = parent.Dimension;
        _rowPointers = parent._rowPointers;
        _columns = parent._columns;
        _values = parent._values;
        _labels = parent._labels;
        _first = first;
        _classes = parent._classes;
        Rows = rows;
        Name = name;
    }

    // A copy of selected rows: the arrays are built from an already checked data set, so not checked again.
    private Dataset(Dataset parent, int dimension, int[] rowPointers, int[] columnIndices, double[] values, double[] labels, string name)
    {
        Dimension = dimension;
        _rowPointers = rowPointers;
        _columns = columnIndices;
        _values = values;
        _labels = labels;
        _first = 0;
        _classes = parent._classes;
        Rows = labels.Length;
        Name = name;
    }

    /// <summary>Builds a data set from dense rows (zeros are not stored); with <paramref name="classes"/>, labels are class indices.</summary>
    public static Dataset FromDense(IReadOnlyList<double[]> rows, IReadOnlyList<double> labels, string? name = null, ClassMap? classes = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Count != labels.Count)
        {
            throw new ArgumentException($"{rows.Count} rows but {labels.Count} labels.", nameof(labels));
        }
        if (rows.Count == 0)
        {
            throw new ArgumentException("A data set needs at least one row.", nameof(rows));
        }
        var dimension = rows[0].Length;
        var pointers = new int[rows.Count + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != dimension)
            {
                throw new ArgumentException($"Row {i} has {rows[i].Length} entries, row 0 has {dimension}.", nameof(rows));
            }
            for (var j = 0; j < dimension; j++)
            {
                if (rows[i][j] != 0.0)
                {
                    columns.Add(j);
                    values.Add(rows[i][j]);
                }
            }
            pointers[i + 1] = values.Count;
        }
        return new Dataset(dimension, pointers, [.. columns], [.. values], [.. labels], name, classes);
    }

    /// <summary>Number of rows of this data set (of this window, for a slice or shard).</summary>
    public int Rows { get; }

    /// <summary>Number of features; column indices lie in [0, Dimension).</summary>
    public int Dimension { get; }

    /// <summary>A display name (file name, "synthetic-…", "name[shard 2/5]").</summary>
    public string Name { get; }

    /// <summary>The classes of a multi-class set (labels are their indices); null for ±1 or regression labels.</summary>
    public ClassMap? Classes => _classes;

    /// <summary>Number of stored entries in this window.</summary>
    public long NonZeros => _rowPointers[_first + Rows] - _rowPointers[_first];

    /// <summary>
    /// Every row of this window stores all <see cref="Dimension"/> columns (then a row's
    /// <see cref="Values"/> are its dense coordinates 0 … d − 1: columns are increasing and in range).
    /// </summary>
    public bool IsDense => NonZeros == (long)Rows * Dimension;

    public double Label(int row) => _labels[Global(row)];

    public ReadOnlySpan<double> Labels => _labels.AsSpan(_first, Rows);

    /// <summary>The 0-based column indices of a row's stored entries, increasing.</summary>
    public ReadOnlySpan<int> Indices(int row)
    {
        var g = Global(row);
        return _columns.AsSpan(_rowPointers[g], _rowPointers[g + 1] - _rowPointers[g]);
    }

    /// <summary>The values of a row's stored entries, aligned with <see cref="Indices"/>.</summary>
    public ReadOnlySpan<double> Values(int row)
    {
        var g = Global(row);
        return _values.AsSpan(_rowPointers[g], _rowPointers[g + 1] - _rowPointers[g]);
    }

    /// <summary>aᵀx for row a.</summary>
    public double Dot(int row, ReadOnlySpan<double> x)
    {
        Debug.Assert(x.Length == Dimension);
        var g = Global(row);
        var end = _rowPointers[g + 1];
        var sum = 0.0;
        for (var k = _rowPointers[g]; k < end; k++)
        {
            sum += _values[k] * x[_columns[k]];
        }
        return sum;
    }

    /// <summary>target += scale · a for row a.</summary>
    public void AddScaledRow(int row, double scale, Span<double> target)
    {
        Debug.Assert(target.Length == Dimension);
        var g = Global(row);
        var end = _rowPointers[g + 1];
        for (var k = _rowPointers[g]; k < end; k++)
        {
            target[_columns[k]] += scale * _values[k];
        }
    }

    /// <summary>‖a‖² for row a.</summary>
    public double RowNormSquared(int row)
    {
        var values = Values(row);
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v * v;
        }
        return sum;
    }

    /// <summary>Rows [start, start+count) as a data set sharing this one's storage.</summary>
    public Dataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, Rows - count, nameof(start));
        return start == 0 && count == Rows ? this : new Dataset(this, _first + start, count, $"{Name}[{start}..{start + count})");
    }

    /// <summary>
    /// The rows <paramref name="rows"/> (in that order, repeats allowed) as a new data set: a copy, so
    /// the rows need not be contiguous (a held-out split); labels and classes come along.
    /// </summary>
    public Dataset Select(ReadOnlySpan<int> rows, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (rows.IsEmpty)
        {
            throw new ArgumentException("A data set needs at least one row.", nameof(rows));
        }
        var pointers = new int[rows.Length + 1];
        var labels = new double[rows.Length];
        long stored = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)Rows)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"rows[{i}] = {rows[i]} is outside [0, {Rows}).");
            }
            stored += Indices(rows[i]).Length;
            if (stored > Array.MaxLength)
            {
                throw new ArgumentException($"The selected rows hold more than {Array.MaxLength} entries.", nameof(rows));
            }
            pointers[i + 1] = (int)stored;
            labels[i] = Label(rows[i]);
        }
        var columns = new int[stored];
        var values = new double[stored];
        for (var i = 0; i < rows.Length; i++)
        {
            Indices(rows[i]).CopyTo(columns.AsSpan(pointers[i]));
            Values(rows[i]).CopyTo(values.AsSpan(pointers[i]));
        }
        return new Dataset(this, Dimension, pointers, columns, values, labels, name);
    }

    /// <summary>
    /// Shard <paramref name="index"/> of <paramref name="count"/>: rows [index·N/count, (index+1)·N/count)
    /// (integer division, as AsGrad's code splits data among workers), so shard sizes differ by at most one.
    /// </summary>
    public Dataset Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        if (count > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot split {Rows} rows into {count} non-empty shards.");
        }
        var start = (int)((long)index * Rows / count);
        var end = (int)((long)(index + 1) * Rows / count);
        return new Dataset(this, _first + start, end - start, $"{Name}[shard {index + 1}/{count}]");
    }

    private int Global(int row)
    {
        // One unsigned compare per row: a slice must never read its neighbours' rows.
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must lie in [0, {Rows}).");
        }
        return _first + row;
    }
}
