namespace Decentral.Nodes.AsyncSgd;

/// <summary>
/// A worker's jobs: the one being computed and those waiting behind it (AsGrad: a job given to a busy
/// worker waits in its queue), worked off first in, first out. A preempting job drops everything
/// first. Every job that starts gets the next job index, which fixes its compute time and mini-batch.
/// </summary>
public sealed class WorkerJobQueue
{
    /// <summary>More waiting jobs than this means a server bug (each method keeps at most n jobs in flight).</summary>
    public const int MaxWaiting = 1 << 16;

    private readonly Queue<AsgdJob> _waiting = new();

    public AsgdJob? Current { get; private set; }

    /// <summary>The index of <see cref="Current"/> (valid while it is not null).</summary>
    public long CurrentIndex { get; private set; } = -1;

    /// <summary>Jobs started so far (the next job's index).</summary>
    public long Started { get; private set; }

    public int Waiting => _waiting.Count;

    /// <summary>Jobs abandoned through preemption (the running one included).</summary>
    public long Abandoned { get; private set; }

    public bool IsBusy => Current is not null;

    /// <summary>Takes a job; returns true when it starts now (the worker was idle, or the job preempts).</summary>
    public bool Offer(AsgdJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Preempt)
        {
            Abandoned += _waiting.Count + (Current is null ? 0 : 1);
            _waiting.Clear();
            Current = null;
        }
        if (Current is null)
        {
            Begin(job);
            return true;
        }
        if (_waiting.Count >= MaxWaiting)
        {
            throw new InvalidOperationException($"A worker has {MaxWaiting} jobs waiting: the server issues jobs faster than any method should.");
        }
        _waiting.Enqueue(job);
        return false;
    }

    /// <summary>Ends the current job; returns it, and starts the next waiting one if any.</summary>
    public AsgdJob Finish(out bool startedNext)
    {
        var done = Current ?? throw new InvalidOperationException("No job is running.");
        Current = null;
        CurrentIndex = -1;
        startedNext = _waiting.TryDequeue(out var next);
        if (startedNext)
        {
            Begin(next!);
        }
        return done;
    }

    private void Begin(AsgdJob job)
    {
        Current = job;
        CurrentIndex = Started++;
    }
}
