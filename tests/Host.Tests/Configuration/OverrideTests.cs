using Decentral.Agreement;
using Decentral.Configuration;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Host.Tests.Configuration;

public sealed class OverrideTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private ConfiguredRun Load(string body, params string[] overrides) =>
        RunConfiguration.Load(_files.Write("run.conf", "decentral {\n  model.data = \"\"\n" + body + "\n}\n"), overrides);

    [Fact]
    public void Overrides_win_over_the_file_and_the_last_override_wins()
    {
        var run = Load("  sgd.iterations = 40", "decentral.sgd.iterations=50", "decentral.agreement.rounds=0", "decentral.sgd.iterations=60");
        Assert.Equal(60, run.Spec.Protocol.Iterations);
        Assert.Equal(0, run.Spec.Protocol.Rounds);
        Assert.Equal(run.Source.SourceName, run.Source.Config.GetOrigin("decentral.model.data").Source);
        Assert.Equal("--set[3]", run.Source.Config.GetOrigin("decentral.sgd.iterations").Source);
    }

    [Fact]
    public void A_seed_takes_all_64_bits_and_anything_else_is_refused_naming_the_key()
    {
        Assert.Equal(ulong.MaxValue, Load("  seed = 18446744073709551615").Spec.Seed);
        Assert.Equal(1UL << 63, Load("", "decentral.seed=9223372036854775808").Spec.Seed);
        Assert.Equal(0UL, Load("  seed = 0").Spec.Seed);
        foreach (var bad in new[] { "-1", "18446744073709551616", "1.5", "one" })
        {
            var e = Assert.Throws<ConfigurationException>(() => Load("", $"decentral.seed={bad}"));
            Assert.Contains("decentral.seed: expected an integer from 0 to 18,446,744,073,709,551,615", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Substitutions_in_the_file_see_the_overridden_values()
    {
        var path = _files.Write("steps.conf", "steps = 10\ndecentral { model.data = \"\", sgd.iterations = ${steps} }\n");
        var run = RunConfiguration.Load(path, ["steps=25"]);
        Assert.Equal(25, run.Spec.Protocol.Iterations);
    }

    [Fact]
    public void Keys_outside_decentral_are_free_for_substitutions()
    {
        var path = _files.Write("vars.conf", "common { t = 12 }\ndecentral { model.data = \"\", sgd.iterations = ${common.t} }\n");
        Assert.Equal(12, RunConfiguration.Load(path).Spec.Protocol.Iterations);
    }

    [Fact]
    public void Layout_names_and_quorum_map_to_the_runtime_types()
    {
        var run = Load("  cluster { sizes = [3, 2, 4], names = [eu, us, asia], quorum = \"any:5\" }\n  faults = [{ at-iteration = 2, action = crash, target = \"asia/n4\" }]");
        Assert.Equal([3, 2, 4], run.Spec.Layout.Sizes);
        Assert.Equal(9, run.Spec.Layout.N);
        Assert.Equal(QuorumRule.Any(5), run.Spec.Protocol.Quorum);
        Assert.Equal(["eu", "us", "asia"], run.Spec.ClusterNames!);
        Assert.Equal("asia/n4", run.Spec.NodeName(8));
        Assert.Equal(new CrashFault("asia/n4"), run.Spec.Faults[0].Action);

        var clusters = Load("", "decentral.cluster.clusters=4", "decentral.cluster.cluster-size=2", "decentral.cluster.quorum=clusters");
        Assert.Equal([2, 2, 2, 2], clusters.Spec.Layout.Sizes);
        Assert.Equal(QuorumRule.Clusters, clusters.Spec.Protocol.Quorum);
    }

    [Fact]
    public void Objective_schedule_and_model_settings_map_to_the_training_spec()
    {
        var run = Load(
            "  model { objective = least-squares, lambda = 0.25, initial = ones, partition = sharded, synthetic { rows = 90, features = 7 } }\n" +
            "  sgd { schedule = inverse-time, learning-rate = 0.3, decay-iterations = 40, batch-size = 8 }");
        var t = run.Spec.Training;
        Assert.Equal(0.25, Assert.IsType<LeastSquares>(t.CreateModel()).Lambda);
        Assert.Equal(PartitionMode.Sharded, t.Partition);
        Assert.Equal(8, t.BatchSize);
        Assert.Equal((90, 7), (t.Data.Rows, t.Data.Dimension));
        Assert.All(t.Start(), x => Assert.Equal(1.0, x));
        Assert.Equal(0.3 / (1 + 80 / 40.0), t.StepSize.At(80), 15);

        var sqrt = Load("  sgd { schedule = inverse-sqrt, learning-rate = 0.8 }").Spec.Training.StepSize;
        Assert.Equal(0.8 / Math.Sqrt(16), sqrt.At(16), 15);
    }

    [Fact]
    public void Paper_bound_is_one_over_2_L_d_times_half_the_clusters_plus_one()
    {
        var run = Load("  cluster { clusters = 5, cluster-size = 1 }\n  sgd.schedule = paper-bound\n  model { objective = logistic-l2, lambda = 0.5, synthetic { rows = 50, features = 6 } }");
        var t = run.Spec.Training;
        var l = new LogisticL2(t.Data.Dimension, 0.5).SmoothnessEstimate(t.Data);
        Assert.Equal(1.0 / (2 * l * 6 * (5 / 2 + 1)), t.StepSize.At(1), 15);
    }

    [Fact]
    public void Compute_time_scales_are_seconds_per_node()
    {
        var uniform = Load("  compute-time { model = poisson, scale = 250ms, speeds = linear }").Spec.Training;
        Assert.Equal(ComputeTimeKind.Poisson, uniform.ComputeTime);
        Assert.Equal(0.25 * 3, uniform.ScaleOf(2), 12);

        var explicitScales = Load("  cluster.sizes = [1, 2]\n  compute-time { model = fixed, scales = [1s, 20ms, 3] }").Spec.Training;
        Assert.Equal([1.0, 0.02, 0.003], new[] { 0, 1, 2 }.Select(explicitScales.ScaleOf).ToArray());
    }

    [Fact]
    public void Synthetic_data_follows_the_objective_and_the_seed()
    {
        var logistic = Load("  seed = 7\n  model.synthetic { rows = 30, features = 3 }").Spec.Training.Data;
        var again = Load("  seed = 7\n  model.synthetic { rows = 30, features = 3 }").Spec.Training.Data;
        Assert.All(Enumerable.Range(0, logistic.Rows), i => Assert.True(logistic.Label(i) is 1.0 or -1.0));
        Assert.Equal(logistic.Labels.ToArray(), again.Labels.ToArray());
        var regression = Load("  seed = 7\n  model { objective = least-squares, synthetic { rows = 30, features = 3 } }").Spec.Training.Data;
        Assert.Contains(Enumerable.Range(0, regression.Rows), i => regression.Label(i) is not (1.0 or -1.0));
    }

    [Fact]
    public void Data_path_is_relative_to_the_file_that_sets_it_or_its_parents()
    {
        File.Copy(ConfigFiles.BreastCancer, Path.Combine(_files.Directory, "bc.libsvm"));
        var nested = _files.Write("configs/deeper/run.conf", "decentral.model.data = \"bc.libsvm\"\n");
        var run = RunConfiguration.Load(nested);
        Assert.Equal(Path.Combine(_files.Directory, "bc.libsvm"), Assert.IsType<DataFileSource>(run.Settings.Model.Data).FullPath);
        Assert.Equal(569, run.Spec.Training.Data.Rows);

        var absolute = RunConfiguration.Load(null, [$"decentral.model.data=\"{ConfigFiles.BreastCancer}\""], new ConfigurationLoadOptions { WorkingDirectory = _files.Directory });
        Assert.Equal(30, absolute.Spec.Training.Dimension);
    }

    [Fact]
    public void Included_files_are_relative_to_the_includer_and_their_data_paths_to_themselves()
    {
        File.Copy(ConfigFiles.BreastCancer, Path.Combine(_files.Directory, "shared-data.libsvm"));
        _files.Write("common/base.conf", "decentral { model.data = \"../shared-data.libsvm\", sgd.iterations = 11 }\n");
        var path = _files.Write("runs/first.conf", "include \"../common/base.conf\"\ndecentral.agreement.rounds = 1\n");
        // A sibling directory is outside the including file's tree: the include root allows it.
        var run = RunConfiguration.Load(path, options: new ConfigurationLoadOptions { IncludeRoot = _files.Directory });
        Assert.Equal(11, run.Spec.Protocol.Iterations);
        Assert.Equal(1, run.Spec.Protocol.Rounds);
        Assert.Equal(Path.Combine(_files.Directory, "shared-data.libsvm"), Assert.IsType<DataFileSource>(run.Settings.Model.Data).FullPath);
    }

    [Fact]
    public void Checkpoint_path_is_relative_to_the_configuration_file()
    {
        var path = _files.Write("sub/run.conf", "decentral { model.data = \"\", checkpoint { store = sqlite, path = \"state/ckpt.db\", every = 5, keep = 2 } }");
        var spec = RunConfiguration.Load(path).Spec;
        Assert.Equal(CheckpointStoreKind.Sqlite, spec.CheckpointStore);
        Assert.Equal(Path.Combine(_files.Directory, "sub", "state", "ckpt.db"), spec.CheckpointPath);
        Assert.Equal(5, spec.Protocol.CheckpointEvery);
        Assert.Equal(2, spec.CheckpointKeep);
    }

    [Fact]
    public void Faults_at_times_and_iterations_with_every_action()
    {
        var run = Load(
            "  faults = [\n" +
            "    { at-iteration = 50, action = crash, target = \"c1/n1\" }\n" +
            "    { at = 2s, action = partition, groups = [[c1], [c2, c3]] }\n" +
            "    { at-iteration = 120, action = heal }\n" +
            "    { at = 1500ms, action = delay, from = c1, to = c2, delay = 50ms }\n" +
            "    { at-iteration = 7, action = drop, from = c2, to = c3, probability = 0.25 }\n" +
            "    { at-iteration = 60, action = restart, target = c1 }\n" +
            "  ]");
        var f = run.Spec.Faults;
        Assert.Equal(new ScheduledFault(new AtIteration(50), new CrashFault("c1/n1")), f[0]);
        Assert.Equal(new AtTime(TimeSpan.FromSeconds(2)), f[1].Trigger);
        Assert.Equal(new HealFault(), f[2].Action);
        Assert.Equal(new ScheduledFault(new AtTime(TimeSpan.FromMilliseconds(1500)), new DelayFault("c1", "c2", TimeSpan.FromMilliseconds(50))), f[3]);
        Assert.Equal(new DropFault("c2", "c3", 0.25), f[4].Action);
        Assert.Equal(new RestartFault("c1"), f[5].Action);
    }

    [Fact]
    public void Open_sections_accept_their_own_keys_and_remote_gives_every_cluster_an_address()
    {
        var run = Load("  experiment.asgd { methods = [pure, random], anything = 1 }\n  remote { base-port = 4000, clusters { c2 { host = \"10.1.2.3\" } } }");
        Assert.Equal(
            [new RemoteEndpoint("127.0.0.1", 4000), new RemoteEndpoint("10.1.2.3", 4001), new RemoteEndpoint("127.0.0.1", 4002)],
            run.Settings.Remote.Endpoints);
    }
}
