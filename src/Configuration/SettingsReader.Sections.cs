using Decentral.Agreement;
using Decentral.Hocon;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Optimization.Local;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;

namespace Decentral.Configuration;

public static partial class SettingsReader
{
    /// <summary>Bound on T (a run keeps per-iteration metrics).</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>Bound on R, the final rounds and K.</summary>
    public const int MaxRounds = 1000;

    private static readonly (string, StepSchedule)[] Schedules =
    [
        ("constant", StepSchedule.Constant),
        ("inverse-sqrt", StepSchedule.InverseSqrt),
        ("inverse-time", StepSchedule.InverseTime),
        ("paper-bound", StepSchedule.PaperBound),
    ];

    private static readonly (string, ComputeTimeKind)[] ComputeModels =
    [
        ("none", ComputeTimeKind.None),
        ("fixed", ComputeTimeKind.Fixed),
        ("poisson", ComputeTimeKind.Poisson),
        ("normal", ComputeTimeKind.Normal),
    ];

    private static readonly (string, SpeedProfile)[] SpeedProfiles = [("uniform", SpeedProfile.Uniform), ("linear", SpeedProfile.Linear), ("heavy-tailed", SpeedProfile.HeavyTailed)];

    private static readonly (string, CheckpointStoreKind)[] Stores = [("memory", CheckpointStoreKind.Memory), ("sqlite", CheckpointStoreKind.Sqlite)];

    private static readonly (string, string)[] Optimizers = [("sgd", "sgd"), ("momentum", "momentum"), ("nesterov", "nesterov"), ("adam", "adam")];

    private static SgdSettings ReadSgd(ConfigReader r) => new(
        r.Int("decentral.sgd.iterations", 1, MaxIterations, 1),
        r.Number("decentral.sgd.learning-rate", 0, exclusive: true),
        r.Int("decentral.sgd.batch-size", 1, int.MaxValue, 1),
        r.Choice("decentral.sgd.schedule", Schedules, StepSchedule.Constant),
        r.Number("decentral.sgd.decay-iterations", 0, exclusive: true))
    {
        Optimizer = ReadOptimizer(r),
    };

    /// <summary><c>decentral.sgd.optimizer</c> with its parameters (only the chosen optimizer's are range-checked).</summary>
    private static ILocalOptimizer ReadOptimizer(ConfigReader r)
    {
        var name = r.Choice("decentral.sgd.optimizer", Optimizers, "sgd");
        switch (name)
        {
            case "momentum" or "nesterov":
                var mu = BelowOne(r, "decentral.sgd.momentum");
                return name == "momentum" ? LocalOptimizers.Momentum(mu) : LocalOptimizers.Nesterov(mu);
            case "adam":
                var beta1 = BelowOne(r, "decentral.sgd.adam.beta1");
                var beta2 = BelowOne(r, "decentral.sgd.adam.beta2");
                var epsilon = r.Number("decentral.sgd.adam.epsilon", 0, exclusive: true, fallback: AdamOptimizer.DefaultEpsilon);
                return LocalOptimizers.Adam(beta1, beta2, epsilon);
            default:
                return LocalOptimizers.Sgd;
        }
    }

    /// <summary>A number in [0, 1) (momentum and Adam's decay rates).</summary>
    private static double BelowOne(ConfigReader r, string key)
    {
        var value = r.Number(key, 0, exclusive: false, fallback: 0);
        if (r.Ok(key) && value >= 1)
        {
            r.Error(key, $"expected a number from 0 up to (not including) 1, found {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
            return 0;
        }

        return value;
    }

    private static AgreementSettings ReadAgreement(ConfigReader r) => new(
        r.Int("decentral.agreement.rounds", 0, MaxRounds),
        r.Int("decentral.agreement.final-rounds", 0, MaxRounds),
        r.Int("decentral.agreement.cluster-rounds", 1, MaxRounds, 1),
        r.Parsed("decentral.agreement.rule", AggregationRules.Parse, MidExtremes.Instance, ["mid-extremes", "mean", "median", "trimmed-mean"]),
        r.Int("decentral.agreement.max-buffered-stages", 2, 1_000_000, ProtocolOptions.DefaultMaxBufferedStages));

    private static ComputeTimeSettings ReadComputeTime(ConfigReader r, ClusterSettings? cluster)
    {
        var model = r.Choice("decentral.compute-time.model", ComputeModels, ComputeTimeKind.None);
        var scale = r.Duration("decentral.compute-time.scale", allowZero: false, TimeSpan.FromMilliseconds(10));
        var speeds = r.Choice("decentral.compute-time.speeds", SpeedProfiles, SpeedProfile.Uniform);
        var spread = r.Number("decentral.compute-time.spread", 0, exclusive: false);
        if (r.Ok("decentral.compute-time.spread") && spread > Nodes.Compute.WorkerSpeeds.MaxSpread)
        {
            r.Error("decentral.compute-time.spread", $"expected σ from 0 to {Nodes.Compute.WorkerSpeeds.MaxSpread}, found {spread.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        }

        const string key = "decentral.compute-time.scales";
        var list = r.Get(key, static (c, k) => c.GetList(k), null);
        var scales = new List<TimeSpan>();
        if (list is not null)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var item = list[i];
                var duration = item is HoconScalar { Type: HoconValueType.Number or HoconValueType.String } s
                    ? HoconUnits.TryParseDuration(s.Text, out _)
                    : null;
                if (duration is not { } d || d <= TimeSpan.Zero)
                {
                    r.Error($"{key}.{i}", item.Origin, $"expected a positive duration such as 10ms, found {item.Describe()}");
                    continue;
                }

                scales.Add(d);
            }

            if (r.Ok(key) && cluster is not null && scales.Count > 0 && scales.Count != cluster.Layout.N)
            {
                r.Error(key, $"expected one scale per node ({cluster.Layout.N}), found {scales.Count}");
            }
        }

        return new ComputeTimeSettings(model, scale, speeds, scales, Math.Min(spread, Nodes.Compute.WorkerSpeeds.MaxSpread));
    }

    private static NetworkSettings ReadNetwork(ConfigReader r) => new(
        r.Duration("decentral.network.latency", allowZero: true, TimeSpan.Zero),
        r.Duration("decentral.network.resend-interval", allowZero: false, TimeSpan.FromMilliseconds(200)));

    private static CheckpointSettings ReadCheckpoint(ConfigReader r, LoadedConfiguration loaded)
    {
        var store = r.Choice("decentral.checkpoint.store", Stores, CheckpointStoreKind.Memory);
        const string pathKey = "decentral.checkpoint.path";
        var written = r.OptionalString(pathKey);
        string? path = null;
        if (written is not null && r.Ok(pathKey))
        {
            if (written.Trim().Length == 0)
            {
                r.Error(pathKey, "expected a file name or null, found an empty string");
            }
            else
            {
                path = DataLocator.Resolve(written, loaded.DirectoryOf(r.OriginOf(pathKey)) ?? loaded.WorkingDirectory);
            }
        }

        if (store == CheckpointStoreKind.Sqlite && r.Ok("decentral.checkpoint.store") && r.Ok(pathKey) && path is null)
        {
            r.Error("decentral.checkpoint.store", "store = sqlite needs decentral.checkpoint.path (a SQLite file)");
        }

        return new CheckpointSettings(
            store,
            path,
            r.Int("decentral.checkpoint.every", 0, int.MaxValue),
            r.Int("decentral.checkpoint.keep", 1, 1000, 3));
    }
}
