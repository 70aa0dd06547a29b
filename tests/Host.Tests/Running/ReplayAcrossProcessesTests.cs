using System.Diagnostics;

namespace Decentral.Host.Tests.Running;

/// <summary>
/// One seed, the same bytes — also from two separate processes, where string hashing, thread-local
/// generators and Akka's process-wide counters differ. The runs are real `decentral` processes.
/// </summary>
public sealed class ReplayAcrossProcessesTests
{
    private static string Decentral(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "decentral.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "decentral did not exit within 3 minutes");
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    [Fact]
    public void Dst_trace_of_one_seed_is_byte_identical_from_two_processes()
    {
        var first = Decentral("dst", "--seed", "7", "--trace");
        var second = Decentral("dst", "--seed", "7", "--trace");
        Assert.True(first.Length > 1000, "the trace is suspiciously short");
        Assert.Equal(first, second);
    }

    [Fact]
    public void Simulate_gives_the_same_result_from_two_processes()
    {
        static string WithoutWall(string json) =>
            System.Text.RegularExpressions.Regex.Replace(json, "\"wall_seconds\":[0-9.eE+-]+", "\"wall_seconds\":0");
        var first = WithoutWall(Decentral("simulate", "--seed", "7", "--json"));
        var second = WithoutWall(Decentral("simulate", "--seed", "7", "--json"));
        Assert.Contains("\"completed\":true", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }
}
