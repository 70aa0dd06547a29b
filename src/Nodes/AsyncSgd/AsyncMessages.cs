namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// Server → worker: compute a gradient at <see cref="Model"/> (version <see cref="Version"/>). The model
/// is shared read-only by every job of the same version, never copied per worker.
/// </summary>
public sealed record AsgdJob(long Version, ReadOnlyMemory<double> Model, bool Preempt);

/// <summary>Worker → server: the gradient of job <see cref="Job"/>, computed at version <see cref="Version"/>.</summary>
public sealed record AsgdGradient(int Worker, long Version, long Job, double[] Gradient);

/// <summary>Worker → server: computing a gradient failed; the run cannot continue meaningfully.</summary>
public sealed record AsgdFailure(int Worker, Exception Error);

/// <summary>Driver → server: issue the first jobs and start the clock.</summary>
public sealed record AsgdStart
{
    public static AsgdStart Instance { get; } = new();
}

/// <summary>Server timer: the time budget is spent.</summary>
internal sealed record AsgdDeadline
{
    public static AsgdDeadline Instance { get; } = new();
}

/// <summary>Worker timer: job <see cref="Job"/>'s compute time has elapsed.</summary>
internal sealed record AsgdComputeDone(long Job);
