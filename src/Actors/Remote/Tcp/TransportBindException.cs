namespace Decentral.Actors;

/// <summary>A TCP transport could not listen on an address (most often: the port is in use).</summary>
public sealed class TransportBindException : Exception
{
    public TransportBindException()
        : this("The transport could not listen on its address.")
    {
    }

    public TransportBindException(string message)
        : base(message)
    {
    }

    public TransportBindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The address that could not be bound, when known.</summary>
    public Address? Address { get; init; }
}
