using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;

namespace Decentral.Experiments;

/// <summary>
/// Watches a decentralized run: for every iteration t, the coordinate-wise minimum, maximum and sum of
/// the models the nodes completed t with (skipped iterations included: a node that jumps to t holds a
/// model of t), and the highest iteration each node completed. Δcw(x_t) = Σ_i (max_i − min_i). Memory
/// is 3·d doubles per iteration. Calls come from the simulator's one thread.
/// </summary>
public sealed class SpreadObserver(int nodes, int dimension) : IRunObserver
{
    private readonly Dictionary<int, Slot> _slots = [];
    private readonly int[] _highest = new int[nodes];
    private int _frontier;

    /// <summary>Called with each new frontier (the highest iteration any node completed).</summary>
    public Action<int>? OnFrontier { get; set; }

    private sealed class Slot(int d)
    {
        public readonly double[] Min = Enumerable.Repeat(double.PositiveInfinity, d).ToArray();
        public readonly double[] Max = Enumerable.Repeat(double.NegativeInfinity, d).ToArray();
        public readonly double[] Sum = new double[d];
        public int Count;
    }

    /// <summary>The highest iteration node <paramref name="node"/> completed so far.</summary>
    public int HighestOf(int node) => _highest[node];

    public void OnEvent(ProtocolEvent e)
    {
        if (e is not IterationCompleted done)
        {
            return;
        }
        if (!_slots.TryGetValue(done.Iteration, out var slot))
        {
            slot = new Slot(dimension);
            _slots[done.Iteration] = slot;
        }
        var x = done.Model;
        for (var i = 0; i < dimension; i++)
        {
            slot.Min[i] = Math.Min(slot.Min[i], x[i]);
            slot.Max[i] = Math.Max(slot.Max[i], x[i]);
            slot.Sum[i] += x[i];
        }
        slot.Count++;
        _highest[done.Node] = Math.Max(_highest[done.Node], done.Iteration);
        if (done.Iteration > _frontier)
        {
            _frontier = done.Iteration;
            OnFrontier?.Invoke(_frontier);
        }
    }

    public void OnSent(int node, ProtocolMessage message, int copies)
    {
    }

    public void OnCheckpointSaved(int node, SaveCheckpoint checkpoint)
    {
    }

    public void OnCheckpointProblem(int node, string problem)
    {
    }

    /// <summary>Iterations seen, ascending.</summary>
    public IReadOnlyList<int> Iterations => [.. _slots.Keys.Order()];

    /// <summary>Δcw over the nodes that completed iteration <paramref name="t"/>.</summary>
    public double DiameterCw(int t)
    {
        var s = _slots[t];
        var sum = 0.0;
        for (var i = 0; i < dimension; i++)
        {
            sum += s.Max[i] - s.Min[i];
        }
        return sum;
    }

    /// <summary>How many nodes completed iteration <paramref name="t"/>.</summary>
    public int CountOf(int t) => _slots[t].Count;

    /// <summary>The average of the models that completed iteration <paramref name="t"/>.</summary>
    public double[] Average(int t)
    {
        var s = _slots[t];
        return [.. s.Sum.Select(v => v / s.Count)];
    }
}
