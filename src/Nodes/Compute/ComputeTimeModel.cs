using Decentral.Agreement;
using System.Globalization;

namespace Decentral.Nodes.Compute;

/// <summary>The kinds of worker compute-time models of the seeds (AsGrad's delay models).</summary>
public enum ComputeTimeKind
{
    /// <summary>Computing a gradient takes no time.</summary>
    None,

    /// <summary>Always s seconds.</summary>
    Fixed,

    /// <summary>Poisson(s) seconds (integer-valued, mean s).</summary>
    Poisson,

    /// <summary>|N(s, s)| + 1 seconds (mean s, standard deviation s, folded, shifted by one second).</summary>
    Normal,
}

/// <summary>
/// How long worker <see cref="Worker"/>'s job number k takes: a pure function of (seed, worker, k), so
/// a replay — or a restarted worker — sees the same durations without saved generator state.
/// </summary>
public sealed class ComputeTimeModel
{
    private readonly ulong _seed;

    private ComputeTimeModel(ComputeTimeKind kind, double s, ulong seed, int worker)
    {
        Kind = kind;
        Scale = s;
        Worker = worker;
        _seed = seed;
    }

    public ComputeTimeKind Kind { get; }

    /// <summary>The parameter s (seconds); 0 for <see cref="ComputeTimeKind.None"/>.</summary>
    public double Scale { get; }

    public int Worker { get; }

    public static ComputeTimeModel None { get; } = new(ComputeTimeKind.None, 0, 0, 0);

    public static ComputeTimeModel Fixed(double s, int worker = 0) => Create(ComputeTimeKind.Fixed, s, 0, worker);

    public static ComputeTimeModel Poisson(double s, ulong seed, int worker) => Create(ComputeTimeKind.Poisson, s, seed, worker);

    public static ComputeTimeModel Normal(double s, ulong seed, int worker) => Create(ComputeTimeKind.Normal, s, seed, worker);

    public static ComputeTimeModel Create(ComputeTimeKind kind, double s, ulong seed, int worker)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        if (kind == ComputeTimeKind.None)
        {
            return new ComputeTimeModel(kind, 0, seed, worker);
        }
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown compute-time model.");
        }
        if (!(s > 0 && double.IsFinite(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(s), s, $"The {kind} compute-time model needs a positive, finite s (seconds).");
        }
        return new ComputeTimeModel(kind, s, seed, worker);
    }

    /// <summary>Parses "none", "fixed", "poisson" or "normal" (case-insensitive).</summary>
    public static ComputeTimeKind ParseKind(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "none" => ComputeTimeKind.None,
            "fixed" => ComputeTimeKind.Fixed,
            "poisson" => ComputeTimeKind.Poisson,
            "normal" => ComputeTimeKind.Normal,
            _ => throw new ArgumentException($"Unknown compute-time model '{text}': expected none, fixed, poisson or normal.", nameof(text)),
        };
    }

    /// <summary>The duration of job <paramref name="job"/> (0-based), in seconds, ≥ 0.</summary>
    public double Seconds(long job)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(job);
        return Kind switch
        {
            ComputeTimeKind.None => 0,
            ComputeTimeKind.Fixed => Scale,
            ComputeTimeKind.Poisson => Generator(job).NextPoisson(Scale),
            ComputeTimeKind.Normal => Math.Abs(Generator(job).NextGaussian(Scale, Scale)) + 1,
            _ => throw new InvalidOperationException($"Unknown compute-time model {Kind}."),
        };
    }

    /// <summary><see cref="Seconds"/> as a TimeSpan (rounded to the tick).</summary>
    public TimeSpan Duration(long job) => TimeSpan.FromTicks((long)Math.Round(Seconds(job) * TimeSpan.TicksPerSecond));

    public override string ToString() =>
        Kind == ComputeTimeKind.None ? "none" : $"{Kind.ToString().ToLowerInvariant()}({Scale.ToString("R", CultureInfo.InvariantCulture)})";

    private SeededRandom Generator(long job) => SeededRandom.For(_seed, SeedPurpose.ComputeTime, Worker, job);
}
