using System.Text.Json;

namespace Decentral.Host.Tests.Running;

public sealed class RunCommandTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Decentral.Host.Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string RepositoryFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Decentral.sln")))
        {
            dir = dir.Parent;
        }
        var root = dir?.FullName ?? FindFromSource();
        return Path.Combine(root, relative);
    }

    private static string FindFromSource([System.Runtime.CompilerServices.CallerFilePath] string self = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(self)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Decentral.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Repository root (Decentral.sln) not found.");
    }

    [Fact]
    public void A_step_size_that_makes_the_model_diverge_ends_the_run_at_once_naming_the_key()
    {
        var (code, stdout, stderr) = Cli(
            "simulate", "--json",
            "--set", "decentral.model.objective=least-squares",
            "--set", "decentral.sgd.schedule=constant",
            "--set", "decentral.sgd.learning-rate=1000");
        Assert.Equal(1, code);
        Assert.Contains("diverged in iteration", stderr, StringComparison.Ordinal);
        Assert.Contains("decentral.sgd.learning-rate", stderr, StringComparison.Ordinal);
        // Stopped when the first node diverged, not after the simulation's whole virtual-time budget.
        using var doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("virtual_seconds").GetDouble() < 1);
    }

    [Fact]
    public void Simulate_is_reproducible_from_its_seed()
    {
        string[] args = ["simulate", "--json", "--seed", "7", "--set", "decentral.sgd.iterations=40"];
        var first = JsonDocument.Parse(Cli(args).Out).RootElement.GetProperty("final").GetProperty("loss").GetDouble();
        var second = JsonDocument.Parse(Cli(args).Out).RootElement.GetProperty("final").GetProperty("loss").GetDouble();
        Assert.Equal(first, second);
    }

    [Fact]
    public void Run_on_the_thread_pool_completes_and_reports_json()
    {
        var (code, stdout, stderr) = Cli("run", "--json", "--set", "decentral.sgd.iterations=30");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("run", root.GetProperty("mode").GetString());
        Assert.Equal(30, root.GetProperty("iterations").GetInt32());
        Assert.True(root.GetProperty("messages").GetInt64() > 0);
        Assert.Contains("iteration", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_writes_metrics_csv()
    {
        var path = Path.Combine(Path.GetTempPath(), $"decentral-metrics-{Guid.NewGuid():N}.csv");
        try
        {
            var (code, _, stderr) = Cli("simulate", "--set", "decentral.sgd.iterations=20", "--set", "decentral.metrics.every=10", "--metrics", path);
            Assert.True(code == 0, stderr);
            var lines = File.ReadAllLines(path);
            Assert.StartsWith("node,iteration,loss", lines[0], StringComparison.Ordinal);
            Assert.True(lines.Length >= 1 + (9 * 2), $"{lines.Length} lines");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("decentral.sgd.iterations=\"many\"", "decentral.sgd.iterations")]
    [InlineData("decentral.sgd.iteratons=5", "decentral.sgd.iteratons")]
    [InlineData("decentral.model.data=\"no/such/file.libsvm\"", "decentral.model.data")]
    public void Bad_configuration_exits_2_naming_the_key_and_starts_nothing(string assignment, string key)
    {
        var (code, stdout, stderr) = Cli("simulate", "--json", "--set", assignment);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(key, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_file_with_an_unknown_extension_is_a_usage_error()
    {
        var (code, _, stderr) = Cli("simulate", "--metrics", "out.txt", "--set", "decentral.sgd.iterations=5");
        Assert.Equal(2, code);
        Assert.Contains("--metrics", stderr, StringComparison.Ordinal);
    }
}
