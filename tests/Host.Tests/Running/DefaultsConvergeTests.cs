using System.Globalization;
using System.Text.Json;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Xunit.Abstractions;

namespace Decentral.Host.Tests.Running;

/// <summary>
/// `decentral simulate` with nothing but the objective and the data changed from the defaults (reference.conf
/// and the embedded local.conf: 3 × 3 nodes, 300 iterations, batch 256, η_t = 4/(1 + t/25)) ends within 1e-3
/// of the L2-regularised optimum, computed with the exact solver, on each data set. The larger data sets are in
/// ../shared/data beside the checkout; a missing file fails the test with where it looked (no skip).
/// </summary>
public sealed class DefaultsConvergeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("breast_cancer_scale.libsvm")]
    [InlineData("digits_even_odd_scale.libsvm")]
    [InlineData("phishing.libsvm")]
    public void Simulate_with_the_defaults_ends_within_1e3_of_the_L2_optimum(string file)
    {
        var data = DataFile(file);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Cli.Run(
            ["simulate", "--json", "--set", "decentral.model.objective=logistic-l2", "--set", $"decentral.model.data=\"{data}\""],
            stdout,
            stderr);
        Assert.True(code == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var root = doc.RootElement;
        Assert.True(root.GetProperty("completed").GetBoolean());
        Assert.Equal(300, root.GetProperty("iterations").GetInt32());
        Assert.Equal(root.GetProperty("nodes").GetInt32(), root.GetProperty("final").GetProperty("live_nodes").GetInt32());
        var loss = root.GetProperty("final").GetProperty("loss").GetDouble();
        var examples = LibSvmReader.Read(data);
        var optimum = ExactSolver.Solve(new LogisticL2(examples.Dimension, 0.01), examples);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: f = {loss:R}, f* = {optimum.Value:R} (‖∇f*‖ = {optimum.GradientNorm:g2}), gap {loss - optimum.Value:g3}"));
        Assert.InRange(loss - optimum.Value, -1e-12, 1e-3);
    }

    /// <summary>The repository's data/ folder, else ../shared/data beside the checkout.</summary>
    private static string DataFile(string name, [System.Runtime.CompilerServices.CallerFilePath] string self = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(self)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Decentral.sln")))
        {
            dir = dir.Parent;
        }
        Assert.True(dir is not null, $"No Decentral.sln above {self}.");
        var local = Path.Combine(dir!.FullName, "data", name);
        if (File.Exists(local))
        {
            return local;
        }
        var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", name));
        Assert.True(File.Exists(shared), $"Data file {name} not found in {Path.Combine(dir.FullName, "data")} nor in {Path.GetDirectoryName(shared)}: the larger data sets live in shared/data beside the checkout.");
        return shared;
    }
}
