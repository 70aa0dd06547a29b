using System.Globalization;

namespace Decentral.Nodes.Data;

/// <summary>
/// The classes of a multi-class data set: K distinct label values as written in the file, in increasing
/// order; class index c ∈ [0, K) stands for <see cref="LabelOf"/>(c). A multi-class <see cref="Dataset"/>
/// stores class indices as its labels and carries its map (<see cref="Dataset.Classes"/>), so a model
/// learns K from the data and a report can print the original labels. Immutable.
/// </summary>
public sealed class ClassMap
{
    /// <summary>More distinct labels than this is a regression file read as classes, not a classifier's data.</summary>
    public const int MaxClasses = 10_000;

    private readonly double[] _labels;

    /// <summary>A map of the given label values (any order; finite, distinct, at least two, at most <see cref="MaxClasses"/>).</summary>
    public ClassMap(IEnumerable<double> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var sorted = labels.ToArray();
        Array.Sort(sorted);
        if (sorted.Length < 2)
        {
            throw new ArgumentException($"A classification needs at least two classes, got {sorted.Length}.", nameof(labels));
        }
        if (sorted.Length > MaxClasses)
        {
            throw new ArgumentException($"{sorted.Length} classes exceed the limit of {MaxClasses}.", nameof(labels));
        }
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!double.IsFinite(sorted[i]))
            {
                throw new ArgumentException($"Class label {Format(sorted[i])} is not finite.", nameof(labels));
            }
            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"Class label {Format(sorted[i])} is given twice.", nameof(labels));
            }
        }
        _labels = sorted;
    }

    /// <summary>K, the number of classes.</summary>
    public int Count => _labels.Length;

    /// <summary>The label values, in class-index order (increasing).</summary>
    public IReadOnlyList<double> Labels => _labels;

    /// <summary>The label value written in the file for class <paramref name="classIndex"/>.</summary>
    public double LabelOf(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Count);
        return _labels[classIndex];
    }

    /// <summary>The class index of a label value, or −1 when it is not one of the classes.</summary>
    public int IndexOf(double label)
    {
        var i = Array.BinarySearch(_labels, label);
        return i >= 0 ? i : -1;
    }

    /// <summary>True when the classes are exactly 0, 1, …, K − 1 (class index = label).</summary>
    public bool IsIdentity
    {
        get
        {
            for (var c = 0; c < _labels.Length; c++)
            {
                if (_labels[c] != c)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public override string ToString() => $"{Count} classes ({string.Join(", ", _labels.Take(12).Select(Format))}{(Count > 12 ? ", …" : "")})";

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
