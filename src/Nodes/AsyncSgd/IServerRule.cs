namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// An order to compute a gradient at the server's model of version <see cref="Version"/> (= the number
/// of server steps taken when it was issued). <see cref="Preempt"/> makes the worker abandon its
/// current and queued jobs first (Rennala's "discard stale work").
/// </summary>
public readonly record struct JobOrder(int Worker, long Version, bool Preempt);

/// <summary>What the server did with an arriving gradient.</summary>
public enum ArrivalKind
{
    /// <summary>The model moved (a step was taken, possibly completing a batch).</summary>
    Applied,

    /// <summary>Kept for a batch that is not complete yet (minibatch, Rennala).</summary>
    Buffered,

    /// <summary>Delay ≥ R: ignored, the worker restarts at the current model (Ringmaster).</summary>
    Dropped,

    /// <summary>Computed at an outdated model: thrown away (Rennala).</summary>
    Discarded,
}

/// <summary>
/// The outcome of one arriving gradient: its delay τ = server steps taken since its model was issued,
/// and the step size used when <see cref="Kind"/> is <see cref="ArrivalKind.Applied"/> (0 otherwise).
/// </summary>
public readonly record struct Arrival(ArrivalKind Kind, long Delay, double StepSize);

/// <summary>
/// The server side of one method as a state machine without actors, clocks or threads: gradients in,
/// model updates and job orders out. The actor around it only moves messages.
/// </summary>
public interface IServerRule
{
    int Workers { get; }

    /// <summary>Server steps taken so far (the current model's version).</summary>
    long Steps { get; }

    /// <summary>The current model x_k (read-only view; changes with every step).</summary>
    ReadOnlySpan<double> Model { get; }

    /// <summary>The jobs issued before any gradient exists (one per worker at x₀ for every method).</summary>
    void Start(List<JobOrder> orders);

    /// <summary>
    /// Handles worker <paramref name="worker"/>'s gradient computed at version <paramref name="version"/>;
    /// appends the jobs to issue now to <paramref name="orders"/>.
    /// </summary>
    Arrival OnGradient(int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders);
}

internal static class ServerRuleChecks
{
    public static double[] Start(IReadOnlyList<double> x0, int workers)
    {
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (x0.Count == 0)
        {
            throw new ArgumentException("The model needs at least one coordinate.", nameof(x0));
        }
        return [.. x0];
    }

    public static void Arrival(int workers, long steps, int dimension, int worker, long version, ReadOnlySpan<double> gradient, List<JobOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(worker, workers);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        if (version > steps)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"A gradient cannot come from version {version}: only {steps} steps were taken.");
        }
        if (gradient.Length != dimension)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} coordinates, the model {dimension}.", nameof(gradient));
        }
    }
}
