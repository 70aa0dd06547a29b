using System.Numerics.Tensors;
using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;
using Decentral.Simulation;

namespace Decentral.Experiments;

/// <summary>What `decentral experiment spread` runs (see <see cref="SpreadSettingsReader"/>).</summary>
public sealed record SpreadSettings
{
    /// <summary>The decentralized run of the configuration, with final-rounds forced to 0.</summary>
    public required ClusterRunSpec Spec { get; init; }

    /// <summary>The constant η (the paper's bound 1/(2 L d (⌊m/2⌋+1)) unless configured).</summary>
    public required double Step { get; init; }

    /// <summary>True when <see cref="Step"/> is the paper's bound.</summary>
    public bool StepIsPaperBound { get; init; }

    /// <summary>The decreasing run's η_t = η / (1 + t / t₀).</summary>
    public required double DecayT0 { get; init; }

    /// <summary>The clusters cut off by the partition of the any:M run.</summary>
    public required IReadOnlyList<string> Cut { get; init; }

    /// <summary>The partition starts when the frontier reaches this iteration, and heals at <see cref="PartitionUntil"/>.</summary>
    public required int PartitionFrom { get; init; }

    public required int PartitionUntil { get; init; }

    /// <summary>M of the any:M quorum of the partition run.</summary>
    public required int Any { get; init; }

    /// <summary>Mini-batches per node (at x₀ and at the end point) for the noise constants σ and ε_max.</summary>
    public int NoiseSamples { get; init; } = 32;

    public string Source { get; init; } = "";

    /// <summary>The model for reports, as configured (e.g. <c>logistic-l2 λ = 0.01</c>).</summary>
    public string ModelSummary { get; init; } = "";

    public int Iterations => Spec.Protocol.Iterations;
}

/// <summary>One iteration of one run: η_t, Δcw over the nodes that completed t, the paper's bound, f of their average.</summary>
public sealed record SpreadPoint(int Iteration, double Eta, double DiameterCw, double Bound, double Loss, int Nodes);

/// <summary>One run of the spread experiment.</summary>
public sealed record SpreadRun(string Label, IReadOnlyList<SpreadPoint> Points, bool Completed)
{
    public double MaxDiameter => Points.Count == 0 ? 0 : Points.Max(p => p.DiameterCw);

    /// <summary>The largest ratio Δcw / bound (≤ 1: the bound holds at every iteration).</summary>
    public double WorstRatio => Points.Where(p => p.Bound > 0).Select(p => p.DiameterCw / p.Bound).DefaultIfEmpty(0).Max();

    /// <summary>Mean Δcw over iterations [from, to] (1-based, inclusive).</summary>
    public double MeanDiameter(int from, int to) =>
        Points.Where(p => p.Iteration >= from && p.Iteration <= to).Select(p => p.DiameterCw).DefaultIfEmpty(double.NaN).Average();

    public double FinalLoss => Points[^1].Loss;
}

/// <summary>The partition run's progress: iterations each side completed while cut apart.</summary>
public sealed record PartitionProgress(int CutBefore, int CutAfter, int RestBefore, int RestAfter, bool Healed)
{
    public int CutAdvance => CutAfter - CutBefore;

    public int RestAdvance => RestAfter - RestBefore;
}

/// <summary>Everything measured, plus the constants the bound was computed with.</summary>
public sealed record SpreadResult(
    SpreadSettings Settings, double C, double Sigma, double EpsilonMax, double Q, double Smoothness, double? OptimalValue,
    SpreadRun Constant, SpreadRun Decreasing, SpreadRun Sequential, SpreadRun SequentialDecreasing, SpreadRun Partition, PartitionProgress Progress);

/// <summary>
/// Attiya and Schiller's quantitative claims, measured on the real protocol (the node actors on the
/// deterministic simulator, final-rounds = 0 so nothing hides the spread):
/// (1) with a constant η within η ≤ 1/(2 L d (⌊m/2⌋+1)), E[Δcw(x_t)] ≤ η C with
/// C = 4 d ⌊m/2⌋ σ + 2 ε_max (⌊m/2⌋+1); (2) with η_t decreasing, Δcw ≤ η_{⌊t/2⌋} C + η₁ C q^{⌊t/2⌋} → 0;
/// (3) with a strongly convex objective and quorum any:M, both sides of a partition keep converging;
/// (4) the loss matches sequential minibatch SGD that computes the same number of gradients
/// (batch n·b per step, same η_t). σ and ε_max are measured, not assumed: σ = the largest deviation
/// |g[i] − ∇f[i]| of one coordinate of a node's mini-batch gradient and ε_max = the largest ‖g − ∇f‖₁,
/// over <see cref="SpreadSettings.NoiseSamples"/> mini-batches per node at x₀ and at the end point of the
/// constant run (our reading of the paper's constants).
/// </summary>
public static class SpreadExperiment
{
    public static SpreadResult Run(SpreadSettings settings, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var spec = settings.Spec;
        var eta = settings.Step;
        var global = spec.Training.GlobalObjective();
        double? optimum = SafeOptimum(spec.Training);
        var m = spec.Layout.ClusterCount;
        var half = m / 2;
        var q = ((2.0 * half) + 1) / ((2.0 * half) + 2);

        progress?.Invoke($"constant η = {eta:G4}: {settings.Iterations} iterations");
        var constantSpec = With(spec, StepSize.Constant(eta), spec.Protocol.Quorum);
        var (constantObs, constantDone, _) = Simulate(constantSpec, null);
        var end = constantObs.Average(constantObs.Iterations[^1]);
        var (sigma, epsilon) = Noise(spec.Training, spec.Layout.N, settings.NoiseSamples, [spec.Training.Start(), end]);
        var c = (4.0 * global.Dimension * half * sigma) + (2.0 * epsilon * (half + 1));

        var decreasingStep = StepSize.InverseTime(eta, settings.DecayT0);
        progress?.Invoke($"decreasing η_t = {eta:G4}/(1 + t/{settings.DecayT0:G4})");
        var (decreasingObs, decreasingDone, _) = Simulate(With(spec, decreasingStep, spec.Protocol.Quorum), null);

        progress?.Invoke($"any:{settings.Any} through a partition of [{string.Join(", ", settings.Cut)}] from iteration {settings.PartitionFrom} to {settings.PartitionUntil}");
        var (partitionObs, partitionDone, partition) = Simulate(With(spec, StepSize.Constant(eta), QuorumRule.Any(settings.Any)), settings);

        double ConstantBound(int t) => eta * c;
        double DecreasingBound(int t)
        {
            var k = t / 2;
            return (decreasingStep.At(Math.Max(1, k)) * c) + (eta * c * Math.Pow(q, k));
        }

        progress?.Invoke("sequential minibatch SGD with the same gradients");
        var result = new SpreadResult(
            settings, c, sigma, epsilon, q, global.SmoothnessEstimate ?? double.NaN, optimum,
            Points("constant η", constantObs, constantDone, global, StepSize.Constant(eta), ConstantBound),
            Points("decreasing η", decreasingObs, decreasingDone, global, decreasingStep, DecreasingBound),
            Sequential("sequential minibatch SGD, constant η", spec, StepSize.Constant(eta), global),
            Sequential("sequential minibatch SGD, decreasing η", spec, decreasingStep, global),
            Points($"any:{settings.Any} through a partition", partitionObs, partitionDone, global, StepSize.Constant(eta), ConstantBound),
            partition!);
        return result;
    }

    private static ClusterRunSpec With(ClusterRunSpec spec, IStepSize step, QuorumRule quorum) => spec with
    {
        Training = spec.Training with { StepSize = step },
        Protocol = spec.Protocol with { FinalRounds = 0, Quorum = quorum },
        Faults = [],
    };

    private static (SpreadObserver Observer, bool Completed, PartitionProgress? Progress) Simulate(ClusterRunSpec spec, SpreadSettings? partition)
    {
        if (partition is not null)
        {
            // The runtime's own fault schedule: at-iteration fires when the frontier reaches it.
            spec = spec with
            {
                Faults =
                [
                    new ScheduledFault(new AtIteration(partition.PartitionFrom), new PartitionFault([partition.Cut])),
                    new ScheduledFault(new AtIteration(partition.PartitionUntil), new HealFault()),
                ],
            };
        }
        using var simulator = new Simulator(unchecked((long)spec.Seed));
        using var runtime = SimulatedClusters.Create(spec, simulator);
        var observer = new SpreadObserver(spec.Layout.N, spec.Training.Dimension);
        runtime.AddObserver(observer);
        int[] cut = partition is null ? [] : [.. partition.Cut.Select(runtime.ClusterIndex)];
        bool IsCut(int node) => cut.Contains(spec.Layout.ProcessAt(node).Cluster);
        int Side(bool cutSide) => Enumerable.Range(0, spec.Layout.N).Where(n => IsCut(n) == cutSide).Select(observer.HighestOf).Min();
        var (cutBefore, restBefore, cutAfter, restAfter) = (0, 0, 0, 0);
        var healed = false;
        if (partition is not null)
        {
            observer.OnFrontier = frontier =>
            {
                if (frontier == partition.PartitionFrom)
                {
                    (cutBefore, restBefore) = (Side(true), Side(false));
                }
                else if (frontier == partition.PartitionUntil)
                {
                    (cutAfter, restAfter, healed) = (Side(true), Side(false), true);
                }
            };
        }
        var completed = runtime.RunSimulated(TimeSpan.FromHours(2));
        if (partition is not null && !healed)
        {
            (cutAfter, restAfter) = (Side(true), Side(false));
        }
        return (observer, completed, partition is null ? null : new PartitionProgress(cutBefore, cutAfter, restBefore, restAfter, healed));
    }

    private static SpreadRun Points(string label, SpreadObserver observer, bool completed, Nodes.Objectives.IObjective global, IStepSize step, Func<int, double> bound)
    {
        var points = new List<SpreadPoint>();
        foreach (var t in observer.Iterations.Where(t => t >= 1))
        {
            points.Add(new SpreadPoint(t, step.At(t), observer.DiameterCw(t), bound(t), global.Value(observer.Average(t)), observer.CountOf(t)));
        }
        return new SpreadRun(label, points, completed);
    }

    /// <summary>Sequential minibatch SGD: one model, batch n·b drawn from the whole data per step, the same η_t.</summary>
    private static SpreadRun Sequential(string label, ClusterRunSpec spec, IStepSize step, Nodes.Objectives.IObjective global)
    {
        var training = spec.Training;
        var batch = Math.Min(global.Rows, spec.Layout.N * training.BatchSize);
        var sampler = new MiniBatchSampler(global.Rows, batch, training.Seed, spec.Layout.N);
        var rows = new int[sampler.BatchSize];
        var x = training.Start();
        var g = new double[x.Length];
        var points = new List<SpreadPoint>();
        for (var t = 1; t <= spec.Protocol.Iterations; t++)
        {
            var n = sampler.Sample(t, rows);
            global.MiniBatchGradient(x, rows.AsSpan(0, n), g);
            var eta = step.At(t);
            TensorPrimitives.MultiplyAdd(g, -eta, x, x);
            points.Add(new SpreadPoint(t, eta, 0, 0, global.Value(x), 1));
        }
        return new SpreadRun(label, points, true);
    }

    /// <summary>σ = max |g[i] − ∇f[i]| and ε_max = max ‖g − ∇f‖₁ over nodes, points and mini-batches.</summary>
    public static (double Sigma, double EpsilonMax) Noise(TrainingSpec training, int nodes, int samples, IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(points);
        var global = training.GlobalObjective();
        var full = new double[global.Dimension];
        var g = new double[global.Dimension];
        var (sigma, epsilon) = (0.0, 0.0);
        for (var node = 0; node < nodes; node++)
        {
            var local = training.LocalObjective(node, nodes);
            var sampler = new MiniBatchSampler(local.Rows, training.BatchSize, training.Seed ^ 0x5EEDUL, node);
            var rows = new int[sampler.BatchSize];
            foreach (var x in points)
            {
                global.Gradient(x, full);
                for (var k = 0; k < samples; k++)
                {
                    var n = sampler.Sample(k, rows);
                    local.MiniBatchGradient(x, rows.AsSpan(0, n), g);
                    TensorPrimitives.Subtract(g, full, g);
                    sigma = Math.Max(sigma, TensorPrimitives.MaxMagnitude(g) is var v ? Math.Abs(v) : 0);
                    epsilon = Math.Max(epsilon, TensorPrimitives.SumOfMagnitudes(g));
                }
            }
        }
        return (sigma, epsilon);
    }

    private static double? SafeOptimum(TrainingSpec training)
    {
        try
        {
            return ExactSolver.Solve(training.GlobalObjective()).Value;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
