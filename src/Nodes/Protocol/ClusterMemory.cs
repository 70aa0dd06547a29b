using System.Collections.Concurrent;
using Decentral.Agreement;

namespace Decentral.Nodes.Protocol;

/// <summary>
/// The shared registers of one cluster: one register array per agreement instance (iteration, round),
/// created on first use and shared by every member. Old instances are dropped once the cluster has
/// moved <see cref="RetainedIterations"/> iterations past them (bounded memory). Thread-safe: members
/// of a cluster may run on different threads.
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

    public IRegisterArray For(Stage stage)
    {
        var array = instances.GetOrAdd(stage, _ => factory(ClusterSize));
        if (stage.Iteration > Volatile.Read(ref newestIteration))
        {
            Interlocked.Exchange(ref newestIteration, stage.Iteration);
            Prune(stage.Iteration - RetainedIterations);
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
