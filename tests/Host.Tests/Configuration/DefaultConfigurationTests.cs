using Decentral.Nodes.Objectives;
using Decentral.Hocon;
using Decentral.Configuration;
using Decentral.Nodes.Data;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Host.Tests.Configuration;

public sealed class DefaultConfigurationTests
{
    private static readonly ConfigurationLoadOptions AtRepositoryRoot = new() { WorkingDirectory = ConfigFiles.RepositoryRoot };

    [Fact]
    public void Embedded_files_are_the_repository_files()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(ConfigFiles.HoconDirectory, "reference.conf")), EmbeddedConfigs.ReferenceText);
        Assert.Equal(File.ReadAllText(Path.Combine(ConfigFiles.HoconDirectory, "local.conf")), EmbeddedConfigs.LocalText);
    }

    [Fact]
    public void Embedded_default_gives_a_valid_spec_with_the_documented_defaults()
    {
        var run = RunConfiguration.Load(null, [], AtRepositoryRoot);
        var spec = run.Spec;
        spec.Validate();

        // Expectations come from the files themselves, parsed by the HOCON library alone.
        var reference = HoconParser.Parse(File.ReadAllText(Path.Combine(ConfigFiles.HoconDirectory, "reference.conf")), options: new HoconParseOptions { Environment = _ => null });
        var local = HoconParser.Parse(File.ReadAllText(Path.Combine(ConfigFiles.HoconDirectory, "local.conf"))).WithFallback(reference);
        Assert.Equal(local.GetInt("decentral.cluster.clusters"), spec.Layout.ClusterCount);
        Assert.True(spec.Layout.ClusterCount >= 3, "the embedded default must have at least 3 clusters");
        Assert.All(spec.Layout.Sizes, s => Assert.Equal(local.GetInt("decentral.cluster.cluster-size"), s));
        Assert.Equal(local.GetInt("decentral.sgd.iterations"), spec.Protocol.Iterations);
        Assert.Equal(local.GetInt("decentral.agreement.rounds"), spec.Protocol.Rounds);
        Assert.Equal(local.GetInt("decentral.agreement.final-rounds"), spec.Protocol.FinalRounds);
        Assert.Equal(local.GetInt("decentral.agreement.cluster-rounds"), spec.Protocol.ClusterRounds);
        Assert.Equal(local.GetInt("decentral.sgd.batch-size"), spec.Training.BatchSize);
        var model = Assert.IsType<LogisticNonConvex>(spec.Training.CreateModel());
        Assert.Equal(local.GetDouble("decentral.model.lambda"), model.Lambda);
        Assert.Equal("inverse-time", local.GetString("decentral.sgd.schedule"));
        Assert.Equal(new InverseTimeStepSize(local.GetDouble("decentral.sgd.learning-rate"), local.GetDouble("decentral.sgd.decay-iterations")), spec.Training.StepSize);
        Assert.Equal((ulong)local.GetLong("decentral.seed"), spec.Seed);
        Assert.Equal(local.GetDuration("decentral.network.resend-interval"), spec.ResendInterval);
        Assert.Equal(local.GetDuration("decentral.network.latency"), spec.NetworkLatency);
        Assert.Equal(CheckpointStoreKind.Memory, spec.CheckpointStore);
        Assert.Empty(spec.Faults);
        Assert.Null(spec.ClusterNames);
        Assert.Equal("c3/n3", spec.NodeName(spec.Layout.N - 1));

        // The data set: count rows and the largest feature index straight from the file.
        var lines = File.ReadAllLines(ConfigFiles.BreastCancer).Where(l => l.Trim().Length > 0).ToArray();
        var maxIndex = lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)).Max(t => int.Parse(t.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(lines.Length, spec.Training.Data.Rows);
        Assert.Equal(maxIndex, spec.Training.Dimension);
    }

    [Fact]
    public void Embedded_default_loads_from_a_subdirectory_of_the_repository()
    {
        var deep = Path.Combine(ConfigFiles.RepositoryRoot, "src", "Host", "Configuration");
        var run = RunConfiguration.Load(null, [], new ConfigurationLoadOptions { WorkingDirectory = deep });
        var file = Assert.IsType<DataFileSource>(run.Settings.Model.Data);
        Assert.Equal(Path.GetFullPath(ConfigFiles.BreastCancer), file.FullPath);
    }

    [Fact]
    public void Embedded_default_outside_the_repository_finds_the_data_shipped_beside_the_binary()
    {
        using var files = new ConfigFiles();
        var run = RunConfiguration.Load(null, [], new ConfigurationLoadOptions { WorkingDirectory = files.Directory });
        Assert.Equal(569, run.Spec.Training.Data.Rows);

        // A relative data file that exists nowhere is an error naming the key and where it was set.
        var e = Assert.Throws<ConfigurationException>(() =>
            RunConfiguration.Load(null, ["decentral.model.data=\"data/no-such-file.libsvm\""], new ConfigurationLoadOptions { WorkingDirectory = files.Directory }));
        var error = Assert.Single(e.Errors);
        Assert.Equal("decentral.model.data", error.Key);
        Assert.Contains("not found", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_of_reference_conf_is_documented_by_a_comment_in_its_block()
    {
        var lines = EmbeddedConfigs.ReferenceText.Split('\n');
        var undocumented = new List<string>();
        foreach (var (path, value) in ConfigurationLoader.Reference.Entries())
        {
            var line = value.Origin.Line - 1;
            var documented = false;
            for (var i = line; i >= 0 && lines[i].Trim().Length > 0; i--)
            {
                documented |= lines[i].TrimStart().StartsWith('#');
            }

            if (!documented)
            {
                undocumented.Add($"{path} (line {line + 1})");
            }
        }

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Reference_conf_has_the_keys_the_issue_requires()
    {
        string[] required =
        [
            "decentral.seed", "decentral.cluster.clusters", "decentral.cluster.cluster-size", "decentral.cluster.sizes",
            "decentral.cluster.names", "decentral.cluster.quorum", "decentral.model.objective", "decentral.model.lambda",
            "decentral.model.data", "decentral.model.partition", "decentral.model.initial", "decentral.model.synthetic.rows",
            "decentral.model.synthetic.features", "decentral.sgd.iterations", "decentral.sgd.learning-rate",
            "decentral.sgd.batch-size", "decentral.sgd.schedule", "decentral.sgd.decay-iterations", "decentral.agreement.rounds",
            "decentral.agreement.final-rounds", "decentral.agreement.cluster-rounds", "decentral.agreement.rule",
            "decentral.agreement.max-buffered-stages", "decentral.compute-time.model", "decentral.compute-time.scale",
            "decentral.compute-time.speeds", "decentral.compute-time.scales", "decentral.network.latency",
            "decentral.network.resend-interval", "decentral.checkpoint.store", "decentral.checkpoint.path",
            "decentral.checkpoint.every", "decentral.checkpoint.keep", "decentral.metrics.every", "decentral.faults",
            "decentral.remote", "decentral.experiment",
        ];
        Assert.All(required, key => Assert.True(ConfigurationLoader.Reference.HasPathOrNull(key), key));
    }

    public static TheoryData<string> ScenarioFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ConfigFiles.HoconDirectory, "*.conf").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_configuration_in_hocon_loads_and_checks(string fileName)
    {
        var path = Path.Combine(ConfigFiles.HoconDirectory, fileName);
        var run = RunConfiguration.Load(path);
        run.Spec.Validate();
        Assert.Equal(path, run.Source.SourceName);
        var (code, output, error) = CliRunner.Run("config", "check", path);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.StartsWith("ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scenario_files_fire_the_faults_they_describe()
    {
        var crash = RunConfiguration.Load(Path.Combine(ConfigFiles.HoconDirectory, "crash-recover.conf")).Spec;
        Assert.Equal(
            [new ScheduledFault(new AtIteration(60), new CrashFault("c1/n1")), new ScheduledFault(new AtIteration(120), new RestartFault("c1/n1")),
             new ScheduledFault(new AtIteration(180), new CrashFault("c3")), new ScheduledFault(new AtIteration(240), new RestartFault("c3"))],
            crash.Faults);

        var partition = RunConfiguration.Load(Path.Combine(ConfigFiles.HoconDirectory, "partition-heal.conf")).Spec;
        var split = Assert.IsType<PartitionFault>(partition.Faults[0].Action);
        Assert.Equal(["c1"], split.Groups[0]);
        Assert.Equal(["c2", "c3"], split.Groups[1]);
        Assert.IsType<HealFault>(partition.Faults[1].Action);

        var stragglersFile = Path.Combine(ConfigFiles.HoconDirectory, "stragglers.conf");
        var stragglers = RunConfiguration.Load(stragglersFile).Spec;
        Assert.Equal(Nodes.Compute.ComputeTimeKind.Fixed, stragglers.Training.ComputeTime);
        var scales = Enumerable.Range(0, stragglers.Layout.N).Select(stragglers.Training.ScaleOf).ToArray();
        var written = HoconParser.ParseFile(stragglersFile).GetList("decentral.compute-time.scales")
            .Select(v => HoconUnits.TryParseDuration(((HoconScalar)v).Text, out _)!.Value.TotalSeconds).ToArray();
        Assert.Equal(written, scales);
        Assert.True(scales[6..].Min() > 5 * scales[..6].Max(), "c3 is the slow cluster");
        Assert.Equal(PartitionMode.Shared, stragglers.Training.Partition);
    }
}
