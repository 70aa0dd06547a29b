namespace Decentral.Actors;

/// <summary>Work a dispatcher runs: one actor's mailbox, up to the dispatcher's throughput per run.</summary>
public interface IDispatchable
{
    void Run();
}

/// <summary>
/// Decides where and when mailboxes run. Two implementations: <see cref="ThreadPoolDispatcher"/> (real
/// time) and the deterministic one a <see cref="Simulation"/> hands its systems (virtual time, one thread).
/// </summary>
public interface IDispatcher
{
    /// <summary>The clock of every actor on this dispatcher (timers included).</summary>
    TimeProvider Time { get; }

    /// <summary>How many user messages one run of a mailbox may handle before yielding.</summary>
    int Throughput { get; }

    /// <summary>Queues <paramref name="work"/>; called at most once until the work has started running.</summary>
    void Schedule(IDispatchable work);
}

/// <summary>Runs mailboxes on the .NET thread pool with real time.</summary>
public sealed class ThreadPoolDispatcher : IDispatcher
{
    /// <summary>Messages per mailbox run: enough to amortise scheduling, few enough to stay fair.</summary>
    public const int DefaultThroughput = 64;

    public static readonly ThreadPoolDispatcher Default = new(TimeProvider.System, DefaultThroughput);

    public ThreadPoolDispatcher(TimeProvider time, int throughput = DefaultThroughput)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(throughput, 1);
        Time = time;
        Throughput = throughput;
    }

    public TimeProvider Time { get; }

    public int Throughput { get; }

    public void Schedule(IDispatchable work)
    {
        if (work is IThreadPoolWorkItem item)
        {
            // Actor cells are their own work items: no allocation per scheduling.
            ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.Run(), work, preferLocal: false);
        }
    }
}
