using Decentral.Agreement;

namespace Decentral.Nodes.AsyncSgd;

/// <summary>Chooses the worker of the next job, given the worker whose gradient just arrived.</summary>
public interface IJobAssignment
{
    int Next(int finishedWorker);
}

/// <summary>Pure asynchronous SGD: the worker that finished computes next.</summary>
public sealed class PureAssignment : IJobAssignment
{
    public static PureAssignment Instance { get; } = new();

    public int Next(int finishedWorker) => finishedWorker;
}

/// <summary>Random assignment: a worker drawn uniformly from a seeded stream, independent of who finished.</summary>
public sealed class RandomAssignment : IJobAssignment
{
    private readonly SeededRandom _random;

    public RandomAssignment(int workers, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _random = new SeededRandom(SeededRandom.Derive(seed, SeedPurpose.Assignment, 1));
    }

    public int Workers { get; }

    public int Next(int finishedWorker) => _random.Next(Workers);
}

/// <summary>
/// Shuffled assignment: job k goes to permutation[k mod n], and the permutation is redrawn (seeded
/// Fisher–Yates) before every block of n jobs, so each block visits every worker exactly once.
/// </summary>
public sealed class ShuffleAssignment : IJobAssignment
{
    private readonly SeededRandom _random;
    private readonly int[] _permutation;
    private long _issued;

    public ShuffleAssignment(int workers, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _random = new SeededRandom(SeededRandom.Derive(seed, SeedPurpose.Assignment, 2));
        _permutation = new int[workers];
        for (var i = 0; i < workers; i++)
        {
            _permutation[i] = i;
        }
    }

    public int Workers => _permutation.Length;

    public int Next(int finishedWorker)
    {
        var slot = (int)(_issued % _permutation.Length);
        if (slot == 0)
        {
            Reshuffle();
        }
        _issued++;
        return _permutation[slot];
    }

    private void Reshuffle()
    {
        for (var i = _permutation.Length - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
        }
    }
}

public static class JobAssignments
{
    public static IJobAssignment Create(JobAssignmentKind kind, int workers, ulong seed) => kind switch
    {
        JobAssignmentKind.Pure => PureAssignment.Instance,
        JobAssignmentKind.Random => new RandomAssignment(workers, seed),
        JobAssignmentKind.Shuffle => new ShuffleAssignment(workers, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown job assignment."),
    };
}
