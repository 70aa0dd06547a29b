using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Decentral.Bench;

/// <summary>A custom numeric column computed from a case's mean time and parameters ("msgs/s" and the like).</summary>
public abstract class RateColumn(string name, string legend) : IColumn
{
    public string Id => GetType().Name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var stats = summary[benchmarkCase]?.ResultStatistics;
        return stats is null ? "-" : Format(stats.Mean, name => benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The cell for a case whose mean time is <paramref name="meanNanoseconds"/>; <paramref name="parameter"/> reads its parameters.</summary>
    protected abstract string Format(double meanNanoseconds, Func<string, object?> parameter);
}
