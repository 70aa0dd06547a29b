namespace Decentral.Nodes.Data;

/// <summary>
/// Turns the labels of a data file into targets as its <see cref="LabelMode"/> says, for every reader
/// alike (LIBSVM, CSV): checks each label on its line, so a bad one is reported where it is, then maps
/// the whole column once the file is read.
/// </summary>
internal sealed class LabelCollector
{
    /// <summary>Makes the reader's exception type for a problem at a line (0 = the whole file).</summary>
    public delegate DataFileFormatException FormatError(int line, string? token, string problem);

    private readonly LabelMode _mode;
    private readonly ClassMap? _declared;
    private readonly FormatError _error;
    private readonly List<double> _labels = [];
    private readonly HashSet<double> _distinct = [];

    /// <param name="declared">The classes a multi-class file must stay within; null = the distinct labels found.</param>
    public LabelCollector(LabelMode mode, IReadOnlyList<double>? declared, FormatError error)
    {
        if (declared is not null && mode != LabelMode.MultiClass)
        {
            throw new ArgumentException($"Classes can be declared only with LabelMode.MultiClass (the mode is {mode}).", nameof(declared));
        }
        _mode = mode;
        _declared = declared is null ? null : new ClassMap(declared);
        _error = error;
    }

    public int Count => _labels.Count;

    /// <summary>Accepts the label of a row, or throws a <see cref="LibSvmFormatException"/> positioned at its line.</summary>
    public void Add(double label, int line, ReadOnlySpan<char> token)
    {
        if (!double.IsFinite(label))
        {
            throw _error(line, token.ToString(), "bad label: expected a finite number");
        }
        if (_declared is { } classes)
        {
            if (classes.IndexOf(label) < 0)
            {
                throw _error(line, token.ToString(), $"label {ClassMap.Format(label)} is not one of the declared classes ({classes})");
            }
        }
        else if (_mode != LabelMode.Raw && _distinct.Add(label))
        {
            if (_mode == LabelMode.Binary && _distinct.Count == 3)
            {
                var seen = _distinct.Where(v => v != label).Select(ClassMap.Format).ToArray();
                throw _error(line, token.ToString(),
                    $"a third distinct label (already seen {seen[0]} and {seen[1]}); binary classification needs two, use LabelMode.MultiClass for classes or LabelMode.Raw for regression targets");
            }
            if (_distinct.Count > ClassMap.MaxClasses)
            {
                throw _error(line, token.ToString(),
                    $"more than {ClassMap.MaxClasses} distinct labels: these look like regression targets (use LabelMode.Raw)");
            }
        }
        _labels.Add(label);
    }

    /// <summary>The targets of every row (±1, class indices or raw values) and, for multi-class, the class map.</summary>
    public (double[] Targets, ClassMap? Classes) Finish()
    {
        var targets = _labels.ToArray();
        switch (_mode)
        {
            case LabelMode.Binary:
                MapToPlusMinusOne(targets);
                return (targets, null);
            case LabelMode.MultiClass:
                var classes = _declared ?? Discovered();
                for (var i = 0; i < targets.Length; i++)
                {
                    targets[i] = classes.IndexOf(targets[i]);
                }
                return (targets, classes);
            default:
                return (targets, null);
        }
    }

    private ClassMap Discovered()
    {
        if (_distinct.Count < 2)
        {
            throw _error(0, null,
                $"every row has label {ClassMap.Format(_distinct.Single())}: a classification needs at least two classes (declare them when a file holds only some)");
        }
        return new ClassMap(_distinct);
    }

    private void MapToPlusMinusOne(double[] targets)
    {
        if (_distinct.Count == 1)
        {
            var only = _distinct.Single();
            if (only is not (1.0 or -1.0))
            {
                throw _error(0, null,
                    $"every row has label {ClassMap.Format(only)}: cannot tell which class it is (only a single ±1 label is accepted)");
            }
            return;
        }
        var high = _distinct.Max();
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = targets[i] == high ? 1.0 : -1.0;
        }
    }
}
