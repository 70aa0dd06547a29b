using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// Compute times of all workers: worker i's job k takes models[i].Seconds(k), times
/// <see cref="BadWorkerFactor"/> for the one "bad" worker if there is one. Pure functions of
/// (seed, worker, job), so every method of a comparison sees the same durations.
/// </summary>
public sealed class WorkerTimes
{
    /// <summary>The seeds' bad worker is 100× slower.</summary>
    public const double DefaultBadWorkerFactor = 100;

    private readonly ComputeTimeModel[] _models;

    public WorkerTimes(IReadOnlyList<ComputeTimeModel> models, int? badWorker = null, double badWorkerFactor = DefaultBadWorkerFactor)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0)
        {
            throw new ArgumentException("At least one worker is needed.", nameof(models));
        }
        if (badWorker is { } b && (b < 0 || b >= models.Count))
        {
            throw new ArgumentOutOfRangeException(nameof(badWorker), b, $"The bad worker must be one of the {models.Count} workers (0-based).");
        }
        if (!(badWorkerFactor >= 1 && double.IsFinite(badWorkerFactor)))
        {
            throw new ArgumentOutOfRangeException(nameof(badWorkerFactor), badWorkerFactor, "The bad worker's slow-down must be a finite factor ≥ 1.");
        }
        _models = [.. models];
        BadWorker = badWorker;
        BadWorkerFactor = badWorkerFactor;
    }

    public int Workers => _models.Length;

    public int? BadWorker { get; }

    public double BadWorkerFactor { get; }

    public ComputeTimeModel Model(int worker) => _models[worker];

    /// <summary>Seconds (model time units) worker <paramref name="worker"/> needs for its job <paramref name="job"/>.</summary>
    public double Seconds(int worker, long job) => _models[worker].Seconds(job) * Factor(worker);

    /// <summary>The mean compute time τ_i of a worker (what rescaled steps and the theory use).</summary>
    public double Mean(int worker) => ExpectedSeconds(_models[worker]) * Factor(worker);

    public double[] Means()
    {
        var means = new double[Workers];
        for (var i = 0; i < means.Length; i++)
        {
            means[i] = Mean(i);
        }
        return means;
    }

    /// <summary>
    /// E[duration]: s for fixed and Poisson(s); for |N(s, s)| + 1 the folded-normal mean
    /// s·(√(2/π)·e^{−1/2} + 1 − 2Φ(−1)) + 1 ≈ 1.1666·s + 1.
    /// </summary>
    public static double ExpectedSeconds(ComputeTimeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Kind switch
        {
            ComputeTimeKind.None => 0,
            ComputeTimeKind.Fixed or ComputeTimeKind.Poisson => model.Scale,
            ComputeTimeKind.Normal => (model.Scale * FoldedNormalUnitMean) + 1,
            _ => throw new ArgumentOutOfRangeException(nameof(model), model.Kind, "Unknown compute-time model."),
        };
    }

    // E|X| for X ~ N(1, 1): √(2/π)·e^{−1/2} + (1 − 2Φ(−1)); |N(s, s)| = s·|N(1, 1)|.
    private static readonly double FoldedNormalUnitMean =
        (Math.Sqrt(2 / Math.PI) * Math.Exp(-0.5)) + 1 - (2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -1));

    private double Factor(int worker) => worker == BadWorker ? BadWorkerFactor : 1;
}

/// <summary>
/// One worker's gradient oracle: the full gradient of its local objective (AsGrad's default, no
/// sampling noise) or a mini-batch drawn as a pure function of (seed, worker, job index).
/// Not thread-safe: one per worker.
/// </summary>
public sealed class WorkerGradient
{
    private readonly IObjective _objective;
    private readonly MiniBatchSampler? _sampler;
    private readonly int[] _rows;

    /// <param name="batchSize">Null: full local gradients.</param>
    public WorkerGradient(IObjective objective, int? batchSize, ulong seed, int worker)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        _objective = objective;
        if (batchSize is { } b)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(b, 1, nameof(batchSize));
            _sampler = new MiniBatchSampler(objective.Rows, b, seed, worker);
            _rows = new int[_sampler.BatchSize];
        }
        else
        {
            _rows = [];
        }
    }

    public int Dimension => _objective.Dimension;

    public bool IsFullGradient => _sampler is null || _sampler.IsFullBatch;

    /// <summary>Writes the gradient for job <paramref name="job"/> at <paramref name="x"/> into <paramref name="gradient"/>.</summary>
    public void Compute(ReadOnlySpan<double> x, long job, Span<double> gradient)
    {
        if (_sampler is null || _sampler.IsFullBatch)
        {
            _objective.Gradient(x, gradient);
            return;
        }
        var n = _sampler.Sample(job, _rows);
        _objective.MiniBatchGradient(x, _rows.AsSpan(0, n), gradient);
    }
}
