using System.Globalization;
using Decentral.Hocon;
using Decentral.Configuration;
using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Training;

namespace Decentral.Experiments;

/// <summary>
/// Reads `decentral experiment asgd`'s settings: the configuration is loaded like every command's
/// (<see cref="ConfigurationLoader"/>: file or embedded default, <c>--set</c>, reference.conf) and
/// checked by <see cref="SettingsReader"/>; the model and data come from <c>decentral.model.*</c>, and
/// the experiment's own keys from <c>decentral.experiment.asgd</c>, with the built-in defaults of
/// <see cref="DefaultsText"/> underneath. Every problem is a <see cref="ConfigurationException"/>.
/// </summary>
public static class AsgdSettingsReader
{
    public const string Section = "decentral.experiment.asgd";

    /// <summary>Where the built-in defaults are said to come from in error messages.</summary>
    public const string DefaultsSource = "experiment asgd defaults (built in)";

    /// <summary>Bound on workers of one simulated experiment (each is an actor with its own data view).</summary>
    public const int MaxWorkers = 4096;

    /// <summary>The defaults of every key of the section (documented in hocon/experiments/asgrad.conf).</summary>
    public const string DefaultsText = """
        decentral.experiment.asgd {
          methods = [minibatch, pure, random, shuffle]
          step-sizes = [0.5, 0.25, 0.125, 0.0625, 0.03125]
          workers = 10
          partition = null
          batch = full
          compute-time { model = normal, scale = 1, speeds = linear, spread = 1.2, scales = [] }
          bad-worker = null
          bad-worker-factor = 100
          compare-bad-worker = false
          budget { steps = 500, time = null, gradients = null }
          metric = grad-norm
          target = 0.01
          select = time-to-target
          grid { widen = true, factor = 2, max-widenings = 8 }
          seed = null
          trace-every = 0
          trace-points = 500
          delay-adaptive-m = null
          rennala-batch = null
          ringmaster-threshold = null
          clock = virtual
          real-time-unit = 10ms
        }
        """;

    private static readonly Lazy<Config> Defaults = new(() => HoconParser.Parse(DefaultsText, DefaultsSource));

    private static readonly (string, PartitionMode)[] Partitions = [("shared", PartitionMode.Shared), ("sharded", PartitionMode.Sharded)];
    private static readonly (string, SpeedProfile)[] Speeds =
        [("uniform", SpeedProfile.Uniform), ("linear", SpeedProfile.Linear), ("heavy-tailed", SpeedProfile.HeavyTailed)];
    private static readonly (string, StepSizeSelection)[] Selections =
    [
        ("time-to-target", StepSizeSelection.TimeToTarget), ("gradients-to-target", StepSizeSelection.GradientsToTarget),
        ("final", StepSizeSelection.FinalGradientNorm), ("final-grad-norm", StepSizeSelection.FinalGradientNorm),
    ];
    private static readonly (string, ExperimentMetric)[] Metrics = [("grad-norm", ExperimentMetric.GradientNorm), ("suboptimality", ExperimentMetric.Suboptimality)];
    private static readonly (string, RunClock)[] Clocks = [("virtual", RunClock.Virtual), ("real", RunClock.Real)];

    /// <summary>The keys of the section, for the unknown-key check.</summary>
    private static readonly string[] KnownKeys =
    [
        "methods", "step-sizes", "workers", "partition", "batch", "compute-time", "compute-time.model", "compute-time.scale",
        "compute-time.speeds", "compute-time.spread", "compute-time.scales", "bad-worker", "bad-worker-factor", "compare-bad-worker", "budget",
        "budget.steps", "budget.time", "budget.gradients", "metric", "target", "select", "grid", "grid.widen", "grid.factor", "grid.max-widenings", "seed", "trace-every", "trace-points", "delay-adaptive-m", "rennala-batch",
        "ringmaster-threshold", "clock", "real-time-unit",
    ];

    /// <exception cref="ConfigurationException">Any unknown key, wrong type, out-of-range value or data problem.</exception>
    public static AsgdExperimentSettings Load(string? configFile, IReadOnlyList<string>? overrides = null, ConfigurationLoadOptions? options = null)
    {
        var loaded = ConfigurationLoader.Load(configFile, overrides, options);
        var general = SettingsReader.Read(loaded);
        var config = loaded.Config.WithFallback(Defaults.Value);
        var r = new ConfigReader(config);
        r.Errors.AddRange(UnknownKeys(config));
        var s = Section + ".";

        var methods = ReadMethods(r, s + "methods");
        var steps = ReadStepSizes(r, s + "step-sizes");
        var workers = r.Int(s + "workers", 1, MaxWorkers, 1);
        var partition = r.Get(s + "partition", static (c, k) => c.HasPath(k), false)
            ? r.Choice(s + "partition", Partitions, PartitionMode.Shared)
            : general.Model.Partition;
        var batch = ReadBatch(r, s + "batch");
        var computeKind = r.Parsed(s + "compute-time.model", ComputeTimeModel.ParseKind, ComputeTimeKind.Normal, ["none", "fixed", "poisson", "normal"]);
        var scale = r.Number(s + "compute-time.scale", 0, exclusive: true);
        var speeds = r.Choice(s + "compute-time.speeds", Speeds, SpeedProfile.Linear);
        var spread = r.Number(s + "compute-time.spread", 0, exclusive: false);
        var scales = ReadPositiveList(r, s + "compute-time.scales", "compute time");
        var badWorker = OptionalInt(r, s + "bad-worker", 1, MaxWorkers);
        var badFactor = r.Number(s + "bad-worker-factor", 1, exclusive: false);
        var compareBad = r.Get(s + "compare-bad-worker", static (c, k) => c.GetBoolean(k), false);
        var maxSteps = OptionalLong(r, s + "budget.steps", 1, long.MaxValue);
        var maxTime = OptionalNumber(r, s + "budget.time");
        var maxGradients = OptionalLong(r, s + "budget.gradients", 1, long.MaxValue);
        var metric = r.Choice(s + "metric", Metrics, ExperimentMetric.GradientNorm);
        var target = r.Number(s + "target", 0, exclusive: true);
        var selection = r.Choice(s + "select", Selections, StepSizeSelection.TimeToTarget);
        var widen = r.Get(s + "grid.widen", static (c, k) => c.GetBoolean(k), true);
        var factor = r.Number(s + "grid.factor", 1, exclusive: true);
        var widenings = r.Int(s + "grid.max-widenings", 0, 64, 8);
        var seed = OptionalLong(r, s + "seed", 0, long.MaxValue) is { } own ? (ulong)own : general.Seed;
        var traceEvery = r.Int(s + "trace-every", 0, int.MaxValue);
        var tracePoints = r.Int(s + "trace-points", 1, 1_000_000, AsyncRunOptions.DefaultTracePoints);
        var delayM = OptionalInt(r, s + "delay-adaptive-m", 1, int.MaxValue);
        var rennala = OptionalInt(r, s + "rennala-batch", 1, int.MaxValue);
        var ringmaster = OptionalLong(r, s + "ringmaster-threshold", 1, long.MaxValue);
        var clock = r.Choice(s + "clock", Clocks, RunClock.Virtual);
        var unit = r.Duration(s + "real-time-unit", allowZero: false, TimeSpan.FromMilliseconds(10));

        if (r.Ok(s + "budget.steps") && r.Ok(s + "budget.time") && r.Ok(s + "budget.gradients") && maxSteps is null && maxTime is null && maxGradients is null)
        {
            r.Error(s + "budget", "expected a budget: budget.steps (server steps), budget.time (model time units), budget.gradients (gradients computed) or several");
        }
        if (r.Ok(s + "compute-time.spread") && spread > WorkerSpeeds.MaxSpread)
        {
            r.Error(s + "compute-time.spread", $"expected σ from 0 to {WorkerSpeeds.MaxSpread}, found {spread.ToString("R", CultureInfo.InvariantCulture)}");
        }
        if (r.Ok(s + "workers") && badWorker is { } bad && bad > workers)
        {
            r.Error(s + "bad-worker", $"expected a worker from 1 to {workers} (workers are numbered from 1), found {bad}");
        }
        if (r.Ok(s + "workers") && scales.Count > 0 && scales.Count != workers)
        {
            r.Error(s + "compute-time.scales", $"expected {workers} scales (one per worker) or [], found {scales.Count}");
        }
        if (r.Errors.Count > 0)
        {
            throw new ConfigurationException(r.Errors);
        }

        var data = RunSpecFactory.LoadData(general.Model, seed);
        if (workers > data.Rows)
        {
            throw new ConfigurationException(new ConfigurationError(
                s + "workers", r.OriginOf(s + "workers"), $"{workers} workers but the data {data.Name} has only {data.Rows} rows; use at most {data.Rows} workers or more data"));
        }

        var problem = new TrainingSpec
        {
            Data = data,
            Model = ObjectiveFactory.Model(general.Model.Objective, general.Model.Lambda),
            Partition = partition,
            BatchSize = batch ?? 1,
            ComputeTime = computeKind,
            ComputeScale = scale,
            Speeds = speeds,
            SpeedSpread = Math.Min(spread, WorkerSpeeds.MaxSpread),
            WorkerScales = scales.Count == 0 ? null : scales,
            InitialModel = general.Model.Initial == InitialModel.Ones ? Enumerable.Repeat(1.0, data.Dimension).ToArray() : null,
            Seed = seed,
        };
        var optimum = OptimalValue(problem);
        if (metric == ExperimentMetric.Suboptimality && optimum is null)
        {
            throw new ConfigurationException(new ConfigurationError(
                s + "metric", r.OriginOf(s + "metric"),
                $"suboptimality needs F*, which the exact solver gives only for least-squares and logistic-l2 with lambda > 0 (this objective: {ObjectiveFactory.Name(general.Model.Objective)}); use grad-norm"));
        }
        return new AsgdExperimentSettings
        {
            Problem = problem,
            Methods = methods,
            StepSizes = steps,
            Workers = workers,
            FullLocalGradients = batch is null,
            BadWorker = badWorker - 1,
            BadWorkerFactor = badFactor,
            CompareBadWorker = compareBad,
            MaxSteps = maxSteps,
            MaxTime = maxTime,
            MaxGradients = maxGradients,
            Metric = metric,
            OptimalValue = optimum,
            Target = target,
            Selection = selection,
            WidenGrid = widen,
            GridFactor = factor,
            MaxWidenings = widenings,
            TraceEvery = traceEvery,
            TracePoints = tracePoints,
            DelayAdaptiveM = delayM,
            RennalaBatch = rennala,
            RingmasterThreshold = ringmaster,
            Clock = clock,
            RealSecondsPerUnit = unit.TotalSeconds,
            Source = loaded.SourceName,
            ModelSummary = $"{ObjectiveFactory.Name(general.Model.Objective)} λ = {general.Model.Lambda.ToString("G4", CultureInfo.InvariantCulture)}",
        };
    }

    /// <summary>F* of the problem's global objective from the exact solver, or null when it has none (non-convex, or too large).</summary>
    public static double? OptimalValue(TrainingSpec problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var objective = problem.GlobalObjective();
        if (objective.Model is not IHasExactOptimum { HasExactOptimum: true } || objective.Dimension > ExactSolver.MaxDimension)
        {
            return null;
        }
        try
        {
            return ExactSolver.Solve(objective).Value;
        }
        catch (ArgumentException)
        {
            return null; // the solver refused this model or data
        }
    }

    private static List<ConfigurationError> UnknownKeys(Config config)
    {
        var errors = new List<ConfigurationError>();
        if (!config.HasPath(Section))
        {
            return errors;
        }
        var known = KnownKeys.Select(k => $"{Section}.{k}").ToArray();
        var experiment = config.GetConfig("decentral.experiment");
        foreach (var key in experiment.Root.Keys.Where(k => k is not ("asgd" or "spread")))
        {
            errors.Add(new ConfigurationError($"decentral.experiment.{key}", experiment.Root[key].Origin, "unknown experiment; the experiments are: asgd, spread"));
        }
        foreach (var (path, value) in config.GetConfig(Section).Entries())
        {
            var full = $"{Section}.{path}";
            if (!known.Contains(full, StringComparer.Ordinal))
            {
                var suggestion = KeySuggestions.ClosestPath(full, known);
                errors.Add(new ConfigurationError(full, value.Origin, "unknown key" + KeySuggestions.DidYouMean(suggestion)));
            }
        }
        return errors;
    }

    private static List<AsyncMethod> ReadMethods(ConfigReader r, string key)
    {
        var names = r.Get(key, static (c, k) => c.GetStringList(k), []);
        var methods = new List<AsyncMethod>();
        if (!r.Ok(key))
        {
            return methods;
        }
        if (names.Count == 0)
        {
            r.Error(key, $"expected at least one method of {string.Join(", ", AsyncMethod.KnownNames)}");
        }
        foreach (var name in names)
        {
            try
            {
                var method = AsyncMethod.Parse(name);
                if (methods.Contains(method))
                {
                    r.Error(key, $"method '{name}' is listed twice");
                }
                methods.Add(method);
            }
            catch (ArgumentException)
            {
                var suggestion = KeySuggestions.Closest(name.Trim(), AsyncMethod.KnownNames);
                r.Error(key, $"unknown method '{name}'; expected one of {string.Join(", ", AsyncMethod.KnownNames)}{KeySuggestions.DidYouMean(suggestion)}");
            }
        }
        return methods;
    }

    private static List<double> ReadStepSizes(ConfigReader r, string key)
    {
        var steps = ReadPositiveList(r, key, "step size");
        if (r.Ok(key) && steps.Count == 0)
        {
            r.Error(key, "the step-size grid is empty; expected at least one positive step size, e.g. [0.5, 0.25, 0.125]");
        }
        return steps;
    }

    private static List<double> ReadPositiveList(ConfigReader r, string key, string what)
    {
        var values = r.Get(key, static (c, k) => c.GetDoubleList(k), []);
        if (!r.Ok(key))
        {
            return [];
        }
        foreach (var v in values)
        {
            if (!(v > 0 && double.IsFinite(v)))
            {
                r.Error(key, $"every {what} must be a positive number, found {v.ToString("R", CultureInfo.InvariantCulture)}");
                break;
            }
        }
        return [.. values];
    }

    /// <summary>"full" (null: full local gradients) or a batch size ≥ 1.</summary>
    private static int? ReadBatch(ConfigReader r, string key)
    {
        var text = r.String(key).Trim();
        if (!r.Ok(key) || string.Equals(text, "full", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var batch) && batch >= 1)
        {
            return batch;
        }
        r.Error(key, $"expected full (full local gradients) or a batch size of at least 1, found '{text}'");
        return null;
    }

    private static int? OptionalInt(ConfigReader r, string key, int min, int max)
    {
        var value = r.Get(key, static (c, k) => c.HasPath(k) ? c.GetInt(k) : (int?)null, null);
        if (value is { } v && (v < min || v > max))
        {
            r.Error(key, $"expected null or an integer from {min} to {max}, found {v}");
            return null;
        }
        return value;
    }

    private static long? OptionalLong(ConfigReader r, string key, long min, long max)
    {
        var value = r.Get(key, static (c, k) => c.HasPath(k) ? c.GetLong(k) : (long?)null, null);
        if (value is { } v && (v < min || v > max))
        {
            r.Error(key, $"expected null or an integer from {min} to {max}, found {v}");
            return null;
        }
        return value;
    }

    private static double? OptionalNumber(ConfigReader r, string key)
    {
        var value = r.Get(key, static (c, k) => c.HasPath(k) ? c.GetDouble(k) : (double?)null, null);
        if (value is { } v && !(v > 0 && double.IsFinite(v)))
        {
            r.Error(key, $"expected null or a positive number, found {v.ToString("R", CultureInfo.InvariantCulture)}");
            return null;
        }
        return value;
    }
}
