using Decentral.Agreement;

namespace Decentral.Nodes.Compute;

/// <summary>
/// Heterogeneous, heavy-tailed worker speeds: worker i's compute-time scale is drawn once, as a pure
/// function of (seed, i), from a log-normal law s_i = s·exp(σ·Z_i), Z_i ~ N(0, 1) — median s, a long
/// right tail of slow workers. Every job of the worker then takes its compute-time model's duration at
/// scale s_i. With M busy workers the mean delay of a gradient is still ≈ M − 1 (Little's law), but most
/// gradients come from the fast workers with delays far below M and the slow ones add a tail of delays
/// far above it: with σ = 1.2 and M = 40, the gradient-weighted median delay is ≈ M·e^(−σ²/2) ≈ 20 and the
/// largest delays reach the thousand range, as in Mishchenko et al.'s Ray workers.
/// </summary>
public static class WorkerSpeeds
{
    /// <summary>The default σ of log speeds (see the class remarks).</summary>
    public const double DefaultSpread = 1.2;

    /// <summary>The largest σ accepted: beyond it one worker is e^(4σ) times slower than the median.</summary>
    public const double MaxSpread = 4;

    /// <summary>The multiplier exp(σ·Z_i) of worker <paramref name="worker"/>'s scale (median 1).</summary>
    public static double HeavyTailedFactor(ulong seed, int worker, double spread = DefaultSpread)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        CheckSpread(spread);
        // Job index −1: a stream of its own, never one of the per-job duration streams (jobs are ≥ 0).
        var z = SeededRandom.For(seed, SeedPurpose.ComputeTime, worker, -1).NextGaussian();
        return Math.Exp(spread * z);
    }

    /// <summary>σ must be a finite number in [0, <see cref="MaxSpread"/>].</summary>
    public static double CheckSpread(double spread) =>
        spread >= 0 && spread <= MaxSpread
            ? spread
            : throw new ArgumentOutOfRangeException(nameof(spread), spread, $"The spread σ of log speeds must be in [0, {MaxSpread}].");
}
