using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Decentral.Bench;

/// <summary>
/// GB/s from parameters K and D: input bytes k·d·8 per operation, doubled for a method named Copy (it reads
/// and writes them).
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "GB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes of input read per second at the median time (reads + writes for Copy), 1 GB = 1e9 bytes";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        var k = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "K")?.Value;
        var d = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "D")?.Value;
        if (stats is null || k is not int kk || d is not int dd)
        {
            return "-";
        }

        var bytes = 8.0 * kk * dd * (benchmarkCase.Descriptor.WorkloadMethod.Name == "Copy" ? 2 : 1);
        // The median resists the interference of other processes on a shared machine better than the mean.
        return (bytes / stats.Median).ToString("0.00", CultureInfo.InvariantCulture); // bytes per ns = GB/s
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
