namespace Decentral.TestKit;

/// <summary>
/// A TestKit wait cannot run in virtual time as called (it would wait on the wall clock while the
/// simulation stands still); the message says what to use instead. Thrown at once, never after a wait.
/// </summary>
public sealed class VirtualTimeMisuseException : InvalidOperationException
{
    public VirtualTimeMisuseException(string message)
        : base(message)
    {
    }
}
