namespace Decentral.TestKit;

/// <summary>
/// The <c>…Async</c> forms of the TestKit's waits under a simulation: the wait runs at once on the
/// caller's thread (the simulation is driven there), and its outcome is returned as a completed or
/// faulted task; asynchronous blocks handed to a wait must complete the same way.
/// </summary>
internal static class CompletedTasks
{
    /// <summary>
    /// Under the simulator an asynchronous block must complete on the test's thread (it may await only
    /// waits of this TestKit, which complete at once): nothing else can move the simulation meanwhile.
    /// </summary>
    public static TResult Completed<TResult>(Task<TResult> task, string method)
    {
        EnsureCompleted(task, method);
        return task.GetAwaiter().GetResult();
    }

    public static void Completed(Task task, string method)
    {
        EnsureCompleted(task, method);
        task.GetAwaiter().GetResult();
    }

    public static ValueTask<T> AsValueTask<T>(Func<T> wait)
    {
        try
        {
            return new ValueTask<T>(wait());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ValueTask.FromException<T>(e);
        }
    }

    public static ValueTask AsValueTask(Action wait)
    {
        try
        {
            wait();
            return ValueTask.CompletedTask;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ValueTask.FromException(e);
        }
    }

    public static Task<T> AsTask<T>(Func<T> wait) => AsValueTask(wait).AsTask();

    public static Task AsTask(Action wait) => AsValueTask(wait).AsTask();

    /// <summary>Akka's lazy async enumerations: the wait runs, on the caller's thread, when enumeration starts.</summary>
    public static async IAsyncEnumerable<T> AsAsyncEnumerable<T>(Func<IEnumerable<T>> wait)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var item in wait())
        {
            yield return item;
        }
    }

    private static void EnsureCompleted(Task task, string method)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.IsCompleted)
        {
            throw new VirtualTimeMisuseException(
                $"{method}: under the simulator the block must complete without waiting for anything but this TestKit's waits " +
                "(the simulation runs on the test's thread, and only while a TestKit wait runs it). Await only waits of the " +
                "DecentralTestKit or a DecentralTestProbe inside it (ExpectMsgAsync, AwaitAssertAsync, …), or use the synchronous form.");
        }
    }

}
