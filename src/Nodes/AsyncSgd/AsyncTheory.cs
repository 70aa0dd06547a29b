namespace Decentral.Nodes.AsyncSgd;

/// <summary>The optimal-time order of Tyurin &amp; Richtárik and the number m of fastest workers attaining it.</summary>
public readonly record struct OptimalTime(double Value, int Workers);

/// <summary>
/// The seeds' reference numbers for per-gradient compute times τ_1 … τ_n (in the fixed-time model):
/// Mishchenko et al.'s throughput comparison of minibatch and asynchronous SGD and Tyurin &amp; Richtárik's
/// optimal-time order for homogeneous data. Θ(·) orders without constants: for shape and scaling only.
/// </summary>
public sealed class AsyncTheory
{
    private readonly double[] _sorted;

    public AsyncTheory(IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count == 0)
        {
            throw new ArgumentException("At least one worker time is needed.", nameof(times));
        }
        foreach (var t in times)
        {
            if (!(t > 0 && double.IsFinite(t)))
            {
                throw new ArgumentOutOfRangeException(nameof(times), t, "Compute times must be positive and finite.");
            }
        }
        _sorted = [.. times];
        Array.Sort(_sorted);
    }

    public int Workers => _sorted.Length;

    /// <summary>τ sorted ascending.</summary>
    public IReadOnlyList<double> SortedTimes => _sorted;

    /// <summary>Minibatch SGD waits for the slowest worker: max_i τ_i per step.</summary>
    public double MinibatchTimePerStep => _sorted[^1];

    /// <summary>Gradients per unit time of minibatch SGD: M / max_i τ_i.</summary>
    public double MinibatchThroughput => Workers / _sorted[^1];

    /// <summary>Gradients (= steps) per unit time of asynchronous SGD: Σ 1/τ_i.</summary>
    public double AsynchronousThroughput
    {
        get
        {
            var sum = 0.0;
            foreach (var t in _sorted)
            {
                sum += 1 / t;
            }
            return sum;
        }
    }

    /// <summary>Mishchenko et al.'s improvement of asynchronous over minibatch: (1/M) Σ τ_max/τ_i.</summary>
    public double SpeedUp => AsynchronousThroughput * _sorted[^1] / Workers;

    /// <summary>
    /// min over m of (Σ_{i≤m} 1/τ_i)⁻¹ (m + σ²/ε) for sorted τ (the LΔ/ε factor left out): the time
    /// order in which the optimal method (Rennala SGD) reaches E‖∇f‖² ≤ ε, and the best m.
    /// </summary>
    public OptimalTime Optimal(double sigmaSquared, double epsilon)
    {
        if (!(sigmaSquared >= 0 && double.IsFinite(sigmaSquared)))
        {
            throw new ArgumentOutOfRangeException(nameof(sigmaSquared), sigmaSquared, "σ² must be finite and ≥ 0.");
        }
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive and finite.");
        }
        var best = new OptimalTime(double.PositiveInfinity, 0);
        var rate = 0.0;
        for (var m = 1; m <= _sorted.Length; m++)
        {
            rate += 1 / _sorted[m - 1];
            var value = (m + (sigmaSquared / epsilon)) / rate;
            if (value < best.Value)
            {
                best = new OptimalTime(value, m);
            }
        }
        return best;
    }
}
