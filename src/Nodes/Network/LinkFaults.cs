namespace Decentral.Nodes.Network;

/// <summary>Which way(s) of the link between two systems a fault applies to.</summary>
public enum LinkDirection
{
    /// <summary>Both a → b and b → a.</summary>
    Both,

    /// <summary>Only a → b.</summary>
    Send,

    /// <summary>Only b → a.</summary>
    Receive,
}

/// <summary>The faults configured on one directed link. An all-default value is a healthy link.</summary>
public sealed record LinkFaults
{
    public static readonly LinkFaults None = new();

    /// <summary>Every envelope on the link vanishes.</summary>
    public bool Blackholed { get; init; }

    /// <summary>Probability in [0, 1] that an envelope is dropped.</summary>
    public double DropProbability { get; init; }

    /// <summary>Probability in [0, 1] that an envelope is delivered twice.</summary>
    public double DuplicateProbability { get; init; }

    /// <summary>Extra delay; the link stays FIFO under it.</summary>
    public DelayDistribution? Delay { get; init; }

    /// <summary>Probability in [0, 1] that an envelope leaves the FIFO and takes a random extra delay.</summary>
    public double ReorderProbability { get; init; }

    /// <summary>Upper bound of the reordering extra delay.</summary>
    public TimeSpan ReorderMaxDelay { get; init; }

    public bool IsHealthy => this == None;
}
