using System.Runtime.ExceptionServices;

namespace Decentral.Hocon.Tests;

/// <summary>
/// Runs code on a thread with a chosen stack size, so a test shows the limits hold on the smallest
/// stack .NET commonly gives a thread (1 MB, the Windows default) rather than on whatever the test
/// runner's thread happens to have. A hang fails the test instead of blocking the run.
/// </summary>
internal static class StackThread
{
    public const int OneMegabyte = 1 << 20;

    public static T Run<T>(Func<T> work, int stackSize = OneMegabyte, int timeoutSeconds = 30)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            stackSize)
        {
            IsBackground = true, // a hung thread must not keep the test host alive
        };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(timeoutSeconds)), $"did not finish within {timeoutSeconds} s");
        failure?.Throw();
        return result;
    }

    public static void Run(Action work, int stackSize = OneMegabyte, int timeoutSeconds = 30) =>
        Run(() =>
        {
            work();
            return 0;
        }, stackSize, timeoutSeconds);
}
