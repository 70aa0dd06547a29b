using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Dst.Invariants;

/// <summary>
/// Checkpoint round trip. (1) Every checkpoint a node saves for iteration t+1 holds exactly (bit for
/// bit) the model it reported in IterationCompleted(t), under the same incarnation. Checkpoints are
/// written by a separate writer actor and reported once stored, so a node may have completed further
/// iterations (or crashed) by the time its checkpoint is reported: the models it completed since its
/// last reported checkpoint are kept (a bounded window, <see cref="CompletedWindow"/>). (2) A node
/// that (re)starts resumes from its newest valid checkpoint: this class keeps its own model of the
/// store (the last KeepLast records per node, and which of them the fault driver damaged), so it knows
/// which record that is, how many damaged newer ones must be reported as problems, and — checked once
/// the node has published its state — which model it must hold.
/// </summary>
public sealed class CheckpointInvariant
{
    /// <summary>
    /// Completed iterations remembered per node since its last reported checkpoint. The writer reports
    /// a node's checkpoints in the order the node asked for them, and under the simulation it lags by a
    /// few turns at most; a checkpoint reported more than this many completions late is a violation too.
    /// </summary>
    public const int CompletedWindow = 64;

    private readonly int keepLast;
    private readonly Dictionary<int, List<StoredRecord>> store = [];
    private readonly Dictionary<int, List<Completed>> completed = [];
    private readonly Dictionary<int, int> incarnation = [];
    private readonly Dictionary<int, int> problemsSinceStart = [];
    private readonly Dictionary<int, (int Incarnation, double[] Model)> pendingResume = [];

    public CheckpointInvariant(int keepLast)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        this.keepLast = keepLast;
    }

    public string Name => InvariantNames.Checkpoint;

    /// <summary>Restarts checked (for reports).</summary>
    public int Resumes { get; private set; }

    /// <summary>Restarts that had to pass over a damaged newest record.</summary>
    public int ResumesPastDamage { get; private set; }

    /// <summary>Checkpoints reported after their node had already completed a later iteration (for reports).</summary>
    public int ReportedBehind { get; private set; }

    /// <summary>Nodes whose resumed model is still to be compared (see <see cref="CheckResumedModel"/>).</summary>
    public IReadOnlyCollection<int> PendingResumes => pendingResume.Keys;

    public void OnIterationCompleted(IterationCompleted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var window = CompletedOf(e.Node);
        window.Add(new Completed(incarnation.GetValueOrDefault(e.Node), e.Iteration, e.Model));
        if (window.Count > CompletedWindow)
        {
            window.RemoveAt(0);
        }
        pendingResume.Remove(e.Node);
    }

    public string? OnCheckpointSaved(int node, SaveCheckpoint cp)
    {
        ArgumentNullException.ThrowIfNull(cp);
        var records = RecordsOf(node);
        records.Add(new StoredRecord(cp.Iteration, cp.Incarnation, cp.Model));
        if (records.Count > keepLast)
        {
            records.RemoveRange(0, records.Count - keepLast);
        }
        if (incarnation.TryGetValue(node, out var current) && cp.Incarnation != current)
        {
            return $"node {node} saved a checkpoint under incarnation {cp.Incarnation} but runs incarnation {current}";
        }
        var window = CompletedOf(node);
        if (window.Count == 0)
        {
            return $"node {node} saved a checkpoint for iteration {cp.Iteration} before completing any iteration";
        }
        var at = window.FindLastIndex(c => c.Iteration == cp.Iteration - 1 && c.Incarnation == cp.Incarnation);
        if (at < 0)
        {
            return $"node {node} saved a checkpoint for iteration {cp.Iteration} (incarnation {cp.Incarnation}) without having completed iteration {cp.Iteration - 1} "
                + $"in that incarnation; its last completions: {string.Join(", ", window.TakeLast(4).Select(c => $"t{c.Iteration} (incarnation {c.Incarnation})"))}";
        }
        var done = window[at];
        if (at < window.Count - 1)
        {
            ReportedBehind++;
        }
        // Later checkpoints of this node are for later iterations: what came before this one is no longer needed.
        window.RemoveRange(0, at);
        if (!cp.Model.AsSpan().SequenceEqual(done.Model))
        {
            return $"node {node}'s checkpoint for iteration {cp.Iteration} does not hold the model it reported for iteration {done.Iteration} "
                + $"(max difference {MaxDifference(cp.Model, done.Model):g3})";
        }
        return null;
    }

    /// <summary>Whether the newest record of <paramref name="node"/> is one the fault driver damaged.</summary>
    public bool IsNewestDamaged(int node) => RecordsOf(node) is { Count: > 0 } r && r[^1].Damaged;

    /// <summary>The fault driver damaged (corrupted or tore) the newest record of <paramref name="node"/>.</summary>
    public void OnDamaged(int node)
    {
        var records = RecordsOf(node);
        if (records.Count > 0)
        {
            records[^1] = records[^1] with { Damaged = true };
        }
    }

    public void OnCheckpointProblem(int node, string problem) =>
        problemsSinceStart[node] = problemsSinceStart.GetValueOrDefault(node) + 1;

    public string? OnNodeStarted(NodeStarted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var problems = problemsSinceStart.GetValueOrDefault(e.Node);
        problemsSinceStart[e.Node] = 0;
        incarnation[e.Node] = e.Incarnation;
        // A new incarnation completes its own iterations; the previous one's checkpoints were all reported before it started.
        CompletedOf(e.Node).Clear();
        var records = RecordsOf(e.Node);
        var damagedNewer = 0;
        StoredRecord? chosen = null;
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (!records[i].Damaged)
            {
                chosen = records[i];
                break;
            }
            damagedNewer++;
        }
        if (records.Count > 0)
        {
            Resumes++;
            if (damagedNewer > 0)
            {
                ResumesPastDamage++;
            }
        }
        if (problems != damagedNewer)
        {
            return $"node {e.Node} restarted with {problems} checkpoint problem(s) reported, but {damagedNewer} damaged newer record(s) had to be passed over";
        }
        if (chosen is null)
        {
            return e.FromCheckpoint || e.Incarnation != 0 || e.Stage != new Stage(1, 0)
                ? $"node {e.Node} has no valid checkpoint but started at {e.Stage}, incarnation {e.Incarnation}, from checkpoint: {e.FromCheckpoint}"
                : null;
        }
        var expected = new Stage(Math.Max(1, chosen.Iteration), 0);
        if (!e.FromCheckpoint || e.Stage != expected || e.Incarnation != chosen.Incarnation + 1)
        {
            return $"node {e.Node} restarted at {e.Stage}, incarnation {e.Incarnation} (from checkpoint: {e.FromCheckpoint}); "
                + $"its newest valid checkpoint is iteration {chosen.Iteration} of incarnation {chosen.Incarnation}";
        }
        pendingResume[e.Node] = (e.Incarnation, chosen.Model);
        return null;
    }

    /// <summary>
    /// Compares a restarted node's published model with the checkpoint it resumed from; call once the
    /// node's state is visible (after the event that restarted it). Null when it matches or nothing is pending.
    /// </summary>
    public string? CheckResumedModel(int node, int publishedIncarnation, ReadOnlySpan<double> model)
    {
        if (!pendingResume.TryGetValue(node, out var expected) || publishedIncarnation != expected.Incarnation)
        {
            return null;
        }
        pendingResume.Remove(node);
        return model.SequenceEqual(expected.Model)
            ? null
            : $"node {node} resumed (incarnation {publishedIncarnation}) with a model that differs from its checkpoint's";
    }

    private List<StoredRecord> RecordsOf(int node)
    {
        if (!store.TryGetValue(node, out var records))
        {
            records = [];
            store.Add(node, records);
        }
        return records;
    }

    private List<Completed> CompletedOf(int node)
    {
        if (!completed.TryGetValue(node, out var window))
        {
            window = [];
            completed.Add(node, window);
        }
        return window;
    }

    private static double MaxDifference(double[] a, double[] b)
    {
        if (a.Length != b.Length)
        {
            return double.PositiveInfinity;
        }
        var m = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            m = Math.Max(m, Math.Abs(a[i] - b[i]));
        }
        return m;
    }

    private sealed record Completed(int Incarnation, int Iteration, double[] Model);

    private sealed record StoredRecord(int Iteration, int Incarnation, double[] Model, bool Damaged = false);
}
