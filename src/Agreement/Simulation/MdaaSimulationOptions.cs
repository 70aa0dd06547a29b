namespace Decentral.Agreement.Simulation;

/// <summary>How the simulated scheduler orders register steps and message deliveries.</summary>
public enum Interleaving
{
    /// <summary>Exponential step times and message delays, all processes alike.</summary>
    Uniform,

    /// <summary>Per-process speeds spread over two orders of magnitude; per-link delays heavy-tailed.</summary>
    Skewed,

    /// <summary>A third of the processes (and their messages) run 50× slower, so the others skip ahead.</summary>
    Laggards,

    /// <summary>Near-identical step times: collects of a cluster interleave as tightly as possible.</summary>
    Lockstep,

    /// <summary>
    /// An adversary against contraction: every register step takes a log-uniform time over three orders of
    /// magnitude (arbitrary interleavings of collects), and each receiver hears the clusters in the rotated
    /// order starting at its own cluster, and the members of a cluster in its own random order, so the
    /// quorums of different receivers overlap as little as the quorum rule allows and the shared cluster is
    /// heard through different members.
    /// </summary>
    Adversarial,
}

/// <summary>A multi-cluster MDAA run: every process runs cluster AA then the inter-cluster round, R times.</summary>
public sealed record MdaaSimulationOptions
{
    public required ClusterLayout Layout { get; init; }

    public int Dimension { get; init; } = 10;

    /// <summary>R, inter-cluster rounds.</summary>
    public int Rounds { get; init; } = 10;

    /// <summary>K, in-cluster rounds per inter-cluster round.</summary>
    public int ClusterRounds { get; init; } = ClusterAgreement.DefaultRounds;

    public IAggregationRule Rule { get; init; } = MidExtremes.Instance;

    public QuorumRule Quorum { get; init; } = QuorumRule.Processes;

    /// <summary>All 64 bits are used (see <see cref="SeededRandom"/>).</summary>
    public long Seed { get; init; }

    /// <summary>Processes crashed at random points; at most <see cref="QuorumRule.MaxTolerableCrashes"/>.</summary>
    public int Crashes { get; init; }

    public Interleaving Interleaving { get; init; } = Interleaving.Uniform;

    /// <summary>One input per process (global index order); null draws N(0, 1) coordinates from the seed.</summary>
    public IReadOnlyList<ReadOnlyMemory<double>>? Inputs { get; init; }

    public int MaxBufferedRounds { get; init; } = Mdaa.DefaultMaxBufferedRounds;

    /// <summary>Passed to every <see cref="Mdaa"/>: aggregate the first value of each cluster only.</summary>
    public bool OneValuePerCluster { get; init; }

    /// <summary>Throws ArgumentException naming the offending property.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Layout, nameof(Layout));
        ArgumentNullException.ThrowIfNull(Rule, nameof(Rule));
        ArgumentNullException.ThrowIfNull(Quorum, nameof(Quorum));
        Quorum.Validate(Layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimension, 1, nameof(Dimension));
        ArgumentOutOfRangeException.ThrowIfLessThan(Rounds, 1, nameof(Rounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClusterRounds, 1, nameof(ClusterRounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBufferedRounds, 2, nameof(MaxBufferedRounds));
        ArgumentOutOfRangeException.ThrowIfNegative(Crashes, nameof(Crashes));
        if (OneValuePerCluster && Quorum.Kind == QuorumKind.Any)
        {
            throw new ArgumentException("One value per cluster needs quorum processes or clusters.", nameof(OneValuePerCluster));
        }

        var max = Quorum.MaxTolerableCrashes(Layout);
        if (Crashes > max)
        {
            throw new ArgumentException(
                $"{Crashes} crashes may leave no quorum under quorum={Quorum} with clusters {Layout}; at most {max} are tolerated.",
                nameof(Crashes));
        }

        if (Inputs is not null)
        {
            if (Inputs.Count != Layout.N)
            {
                throw new ArgumentException($"Expected {Layout.N} inputs, one per process, got {Inputs.Count}.", nameof(Inputs));
            }

            for (var i = 0; i < Inputs.Count; i++)
            {
                if (Inputs[i].Length != Dimension)
                {
                    throw new ArgumentException(
                        $"Input {i} has dimension {Inputs[i].Length}, expected {Dimension}.", nameof(Inputs));
                }

                if (!VectorMath.AllFinite(Inputs[i].Span))
                {
                    throw new ArgumentException($"Input {i} contains NaN or Infinity.", nameof(Inputs));
                }
            }
        }
    }
}
