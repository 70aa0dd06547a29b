using Decentral.Nodes.Checkpoints;

namespace Decentral.Nodes.Tests.Checkpoints;

/// <summary>
/// One suite for every <see cref="ICheckpointStore"/>: each implementation supplies a fresh store, a way
/// to "restart" (a new store over the same non-volatile state) and the two kinds of damage.
/// </summary>
public abstract class CheckpointStoreContract : IDisposable
{
    private readonly List<ICheckpointStore> _opened = [];

    protected abstract ICheckpointStore CreateStore(int keepLast);

    /// <summary>A store over the same durable state, as a restarted process would open it.</summary>
    protected abstract ICheckpointStore Reopen(ICheckpointStore store);

    /// <summary>Flips a bit inside the newest record of a node.</summary>
    protected abstract void CorruptLatest(ICheckpointStore store, string node);

    /// <summary>Truncates the newest record of a node, as a crash mid-write would.</summary>
    protected abstract void TearLatest(ICheckpointStore store, string node);

    protected ICheckpointStore Track(ICheckpointStore store)
    {
        _opened.Add(store);
        return store;
    }

    public virtual void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    internal static Checkpoint Make(string node, long iteration, int dimension = 5, byte[]? state = null) =>
        new(node, incarnation: 2, iteration, round: iteration % 3,
            Enumerable.Range(0, dimension).Select(j => Math.Sin(iteration + j) * 1e3).ToArray(),
            state ?? [1, 2, 3, (byte)iteration],
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(iteration),
            "momentum",
            Enumerable.Range(0, dimension).Select(j => Math.Cos(iteration + j)).ToArray());

    [Fact]
    public void Saved_checkpoint_loads_back_equal()
    {
        var store = Track(CreateStore(keepLast: 3));
        var checkpoint = Make("c1/n2", 7, state: []);

        var sequence = store.Save(checkpoint);
        var loaded = store.LoadLatestValid("c1/n2");

        Assert.Equal(1, sequence);
        Assert.True(loaded.Found);
        Assert.Equal(checkpoint, loaded.Checkpoint);
        Assert.Equal(1, loaded.Sequence);
        Assert.Empty(loaded.Problems);
    }

    [Fact]
    public void A_node_without_checkpoints_loads_nothing_and_reports_nothing()
    {
        var store = Track(CreateStore(keepLast: 3));
        store.Save(Make("c1/n1", 1));

        var loaded = store.LoadLatestValid("c2/n1");

        Assert.False(loaded.Found);
        Assert.Equal(0, loaded.Sequence);
        Assert.Empty(loaded.Problems);
        Assert.Equal(0, store.Count("c2/n1"));
    }

    [Fact]
    public void Only_the_last_K_records_per_node_are_kept()
    {
        var store = Track(CreateStore(keepLast: 3));
        for (var t = 1; t <= 10; t++)
        {
            Assert.Equal(t, store.Save(Make("c1/n1", t)));
            Assert.Equal(Math.Min(t, 3), store.Count("c1/n1"));
        }
        store.Save(Make("c1/n2", 1));

        Assert.Equal(3, store.Count("c1/n1"));
        Assert.Equal(1, store.Count("c1/n2"));
        Assert.Equal(10, store.LoadLatestValid("c1/n1").Checkpoint!.Iteration);
        Assert.Equal(1, store.LoadLatestValid("c1/n2").Checkpoint!.Iteration);
    }

    [Fact]
    public void Corrupt_newest_record_is_reported_and_the_previous_one_used()
    {
        var store = Track(CreateStore(keepLast: 3));
        for (var t = 1; t <= 4; t++)
        {
            store.Save(Make("c1/n2", t));
        }

        CorruptLatest(store, "c1/n2");
        var loaded = store.LoadLatestValid("c1/n2");

        Assert.Equal(Make("c1/n2", 3), loaded.Checkpoint);
        Assert.Equal(3, loaded.Sequence);
        Assert.Equal(["checkpoint 4 of c1/n2: checksum mismatch, using 3"], loaded.Problems);
    }

    [Fact]
    public void Torn_newest_record_is_reported_and_the_previous_one_used()
    {
        var store = Track(CreateStore(keepLast: 2));
        store.Save(Make("c1/n1", 1));
        store.Save(Make("c1/n1", 2));

        TearLatest(store, "c1/n1");
        var loaded = store.LoadLatestValid("c1/n1");

        Assert.Equal(Make("c1/n1", 1), loaded.Checkpoint);
        var problem = Assert.Single(loaded.Problems);
        Assert.StartsWith("checkpoint 2 of c1/n1: torn write", problem, StringComparison.Ordinal);
        Assert.EndsWith(", using 1", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void When_every_record_is_damaged_nothing_is_loaded_and_each_is_reported()
    {
        var store = Track(CreateStore(keepLast: 1));
        store.Save(Make("c1/n1", 1));
        CorruptLatest(store, "c1/n1");

        var loaded = store.LoadLatestValid("c1/n1");

        Assert.False(loaded.Found);
        Assert.Equal(["checkpoint 1 of c1/n1: checksum mismatch, no valid checkpoint left"], loaded.Problems);
    }

    [Fact]
    public void Saving_after_damage_continues_the_sequence_and_loads_the_new_record()
    {
        var store = Track(CreateStore(keepLast: 3));
        store.Save(Make("c1/n1", 1));
        store.Save(Make("c1/n1", 2));
        TearLatest(store, "c1/n1");

        Assert.Equal(3, store.Save(Make("c1/n1", 3)));
        var loaded = store.LoadLatestValid("c1/n1");
        Assert.Equal(3, loaded.Checkpoint!.Iteration);
        Assert.Empty(loaded.Problems);
    }

    [Fact]
    public void Checkpoints_survive_a_restart_of_their_store()
    {
        var store = Track(CreateStore(keepLast: 2));
        store.Save(Make("c3/n1", 41, dimension: 300));
        store.Save(Make("c3/n1", 42, dimension: 300));

        var reopened = Track(Reopen(store));
        var loaded = reopened.LoadLatestValid("c3/n1");

        Assert.Equal(Make("c3/n1", 42, dimension: 300), loaded.Checkpoint);
        Assert.Equal(2, reopened.Count("c3/n1"));
        Assert.Equal(3, reopened.Save(Make("c3/n1", 43)));
    }

    [Fact]
    public void Concurrent_saves_of_different_nodes_all_land()
    {
        var store = Track(CreateStore(keepLast: 5));
        Parallel.For(0, 4, node =>
        {
            for (var t = 1; t <= 10; t++)
            {
                store.Save(Make($"c1/n{node}", t));
            }
        });
        for (var node = 0; node < 4; node++)
        {
            Assert.Equal(5, store.Count($"c1/n{node}"));
            Assert.Equal(10, store.LoadLatestValid($"c1/n{node}").Checkpoint!.Iteration);
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CreateStore(keepLast: 0));
        var store = Track(CreateStore(keepLast: 1));
        Assert.Throws<ArgumentNullException>(() => store.Save(null!));
        Assert.Throws<ArgumentException>(() => store.LoadLatestValid(" "));
    }
}

public sealed class InMemoryCheckpointStoreTests : CheckpointStoreContract
{
    protected override ICheckpointStore CreateStore(int keepLast) => new InMemoryCheckpointStore(keepLast);

    // The simulator's "disk" survives a node crash because the same instance is handed back.
    protected override ICheckpointStore Reopen(ICheckpointStore store) => store;

    protected override void CorruptLatest(ICheckpointStore store, string node) => ((InMemoryCheckpointStore)store).CorruptLatest(node);

    protected override void TearLatest(ICheckpointStore store, string node) => ((InMemoryCheckpointStore)store).TearLatest(node);

    [Fact]
    public void Damaging_a_node_without_records_is_an_error()
    {
        var store = new InMemoryCheckpointStore();
        Assert.Throws<InvalidOperationException>(() => store.CorruptLatest("c1/n1"));
    }
}
