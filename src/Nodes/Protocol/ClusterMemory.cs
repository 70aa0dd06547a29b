using System.Collections.Concurrent;
using Decentral.Agreement;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// The shared registers of one cluster: one register array per agreement instance (iteration, round),
/// created on first use and shared by every member. Old instances are dropped once the cluster has
/// moved <see cref="RetainedIterations"/> iterations past them, and a member working below that window
/// keeps only its own iteration's (bounded memory: at most RetainedIterations + 1 iterations plus one
/// per member). Thread-safe: members of a cluster may run on different threads.
/// </summary>
public sealed class ClusterMemory
{
    /// <summary>How many iterations of register arrays are kept behind the newest one used.</summary>
    public const int RetainedIterations = 4;

    private readonly ConcurrentDictionary<Stage, IRegisterArray> instances = new();
    private readonly Func<int, IRegisterArray> factory;
    private int newestIteration;

    public ClusterMemory(int clusterSize, Func<int, IRegisterArray>? factory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clusterSize, 1);
        ClusterSize = clusterSize;
        this.factory = factory ?? (n => new InMemoryRegisterArray(n));
    }

    public int ClusterSize { get; }

    /// <summary>Register arrays currently held.</summary>
    public int InstanceCount => instances.Count;

    /// <summary>The newest iteration any member asked for; it never moves backwards.</summary>
    public int NewestIteration => Volatile.Read(ref newestIteration);

    public IRegisterArray For(Stage stage)
    {
        var array = instances.GetOrAdd(stage, _ => factory(ClusterSize));
        // Compare-and-swap: a member that read an older marker must not overwrite a newer one another
        // member set meanwhile (a plain write could move the marker backwards and keep pruned-too-late
        // arrays alive, or prune against a stale window).
        var newest = Volatile.Read(ref newestIteration);
        while (stage.Iteration > newest)
        {
            var seen = Interlocked.CompareExchange(ref newestIteration, stage.Iteration, newest);
            if (seen == newest)
            {
                Prune(stage.Iteration - RetainedIterations);
                return array;
            }
            newest = seen;
        }
        if (stage.Iteration < newest - RetainedIterations)
        {
            // A member far behind the others (recovering, or a quorum on its own) walking forward alone:
            // keep the arrays of the iteration it is in, not of every iteration it passed through.
            Prune(stage.Iteration);
        }
        return array;
    }

    private void Prune(int belowIteration)
    {
        foreach (var key in instances.Keys)
        {
            if (key.Iteration < belowIteration)
            {
                instances.TryRemove(key, out _);
            }
        }
    }
}
