using Xunit.Sdk;

namespace Decentral.TestKit;

/// <summary>A TestKit expectation failed. Shown by xunit like any assertion failure.</summary>
public sealed class TestKitAssertionException : XunitException
{
    public TestKitAssertionException(string message)
        : base(message)
    {
    }
}
