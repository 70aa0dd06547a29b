using System.Numerics.Tensors;
using Decentral.Nodes.AsyncSgd;

namespace Decentral.Experiments;

/// <summary>The seeds' reference numbers for one set of worker times (with or without the bad worker).</summary>
public sealed record TheoryCase(string Label, int? BadWorker, IReadOnlyList<double> MeanTimes, AsyncTheory Theory, OptimalTime Optimal);

/// <summary>
/// What the theory says for the experiment's worker times: Mishchenko et al.'s minibatch time per step
/// max τ_i versus asynchronous throughput Σ 1/τ_i and speed-up (1/M) Σ τ_max/τ_i, and Tyurin &amp;
/// Richtárik's optimal-time order min_m (Σ_{i≤m} 1/τ_i)⁻¹ (m + σ²/ε) with ε = target² and σ² the
/// gradient noise measured at x₀. τ_i are the mean compute times of the model (fixed-time view).
/// </summary>
/// L is the largest eigenvalue of ∇²f at x₀ (power iteration; <see cref="DelayStability"/>), from which
/// the report derives the stable constant step for the measured delays.
public sealed record TheoryReport(IReadOnlyList<TheoryCase> Cases, double SigmaSquared, double Epsilon, double Smoothness = double.NaN)
{
    /// <summary>Samples per worker for σ² when gradients are mini-batches (full gradients need one).</summary>
    public const int NoiseSamplesPerWorker = 8;

    public static TheoryReport Compute(AsgdExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var variants = settings.Variants();
        var sigma2 = EstimateSigmaSquared(settings.OptionsFor(variants[0], settings.StepSizes[0]));
        // ε of the rate is a target on ‖∇f‖²: the square of a ‖∇f‖ target, an F − F* target as it is.
        var epsilon = settings.Metric == ExperimentMetric.Suboptimality ? settings.Target : settings.Target * settings.Target;
        var cases = new List<TheoryCase>();
        foreach (var bad in variants.Select(v => v.BadWorker).Distinct())
        {
            var options = settings.OptionsFor(variants.First(v => v.BadWorker == bad), settings.StepSizes[0]);
            var times = options.CreateWorkerTimes().Means();
            if (times.Any(t => !(t > 0)))
            {
                continue; // compute-time model "none": no speeds to compare
            }
            var theory = new AsyncTheory(times);
            var label = bad is { } b ? $"worker {b + 1} {settings.BadWorkerFactor:G4}× slower" : "all workers";
            cases.Add(new TheoryCase(label, bad, times, theory, theory.Optimal(sigma2, epsilon)));
        }
        var problem = settings.Problem;
        var smoothness = DelayStability.Smoothness(problem.GlobalObjective(), problem.Start());
        return new TheoryReport(cases, sigma2, epsilon, smoothness);
    }

    /// <summary>
    /// σ² ≈ mean over workers (and mini-batches) of ‖g_i(x₀) − ∇f(x₀)‖²: sampling noise plus, for sharded
    /// data, the heterogeneity of the local gradients (full local gradients: heterogeneity only).
    /// </summary>
    public static double EstimateSigmaSquared(AsyncRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var x0 = options.Problem.Start();
        var full = new double[x0.Length];
        options.Problem.GlobalObjective().Gradient(x0, full);
        var g = new double[x0.Length];
        var samples = options.FullLocalGradients ? 1 : NoiseSamplesPerWorker;
        var sum = 0.0;
        for (var w = 0; w < options.Workers; w++)
        {
            var oracle = options.CreateWorkerGradient(w);
            for (var k = 0; k < samples; k++)
            {
                oracle.Compute(x0, k, g);
                TensorPrimitives.Subtract(g, full, g);
                sum += TensorPrimitives.SumOfSquares(g);
            }
        }
        return sum / (options.Workers * samples);
    }
}
