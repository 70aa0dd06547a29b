using Decentral.Simulation.Dst.Invariants;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Tests.Dst;

public sealed class CheckpointInvariantTests
{
    private static CheckpointInvariant Running(int keepLast = 3)
    {
        var c = new CheckpointInvariant(keepLast);
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 0, new Stage(1, 0), false)));
        return c;
    }

    /// <summary>Completes iterations first…last and saves each checkpoint with the model just reported (x_t+1 = t).</summary>
    private static void Progress(CheckpointInvariant c, int first, int last, int incarnation = 0)
    {
        for (var t = first; t <= last; t++)
        {
            c.OnIterationCompleted(new IterationCompleted(0, t, [t, -t], false));
            Assert.Null(c.OnCheckpointSaved(0, new SaveCheckpoint(incarnation, t + 1, [t, -t])));
        }
    }

    [Fact]
    public void A_checkpoint_holding_the_previous_iterations_model_fails()
    {
        var c = Running();
        Progress(c, 1, 2);
        c.OnIterationCompleted(new IterationCompleted(0, 3, [3.0, -3.0], false));
        // What the checkpoint-before-state mutant writes: x_3 (the model before iteration 3) instead of x_4.
        Assert.Contains("does not hold the model", c.OnCheckpointSaved(0, new SaveCheckpoint(0, 4, [2.0, -2.0])));
    }

    [Fact]
    public void A_checkpoint_for_the_wrong_iteration_or_incarnation_fails()
    {
        var c = Running();
        c.OnIterationCompleted(new IterationCompleted(0, 1, [1.0, -1.0], false));
        Assert.NotNull(c.OnCheckpointSaved(0, new SaveCheckpoint(0, 3, [1.0, -1.0])));
        c.OnIterationCompleted(new IterationCompleted(0, 2, [2.0, -2.0], false));
        Assert.Contains("incarnation", c.OnCheckpointSaved(0, new SaveCheckpoint(5, 3, [2.0, -2.0])));
    }

    [Fact]
    public void A_restart_resumes_from_the_newest_checkpoint_with_its_model()
    {
        var c = Running();
        Progress(c, 1, 4);
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 1, new Stage(5, 0), true)));
        Assert.Contains(0, c.PendingResumes);
        Assert.Null(c.CheckResumedModel(0, 1, [4.0, -4.0]));
        Assert.Empty(c.PendingResumes);
    }

    [Fact]
    public void A_restart_from_an_older_checkpoint_than_the_newest_valid_one_fails()
    {
        var c = Running();
        Progress(c, 1, 4);
        Assert.Contains("newest valid checkpoint is iteration 5", c.OnNodeStarted(new NodeStarted(0, 1, new Stage(4, 0), true)));
    }

    [Fact]
    public void A_resumed_model_that_differs_from_the_checkpoint_fails()
    {
        var c = Running();
        Progress(c, 1, 2);
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 1, new Stage(3, 0), true)));
        Assert.Contains("differs", c.CheckResumedModel(0, 1, [2.0, -2.5]));
    }

    [Fact]
    public void A_damaged_newest_checkpoint_must_be_reported_and_passed_over()
    {
        var c = Running();
        Progress(c, 1, 3);
        c.OnDamaged(0);
        Assert.True(c.IsNewestDamaged(0));
        c.OnCheckpointProblem(0, "checkpoint 3 of c1/n1: checksum mismatch, using 2");
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 1, new Stage(3, 0), true)));
        Assert.Equal(1, c.ResumesPastDamage);
    }

    [Fact]
    public void A_damaged_newest_checkpoint_used_anyway_or_not_reported_fails()
    {
        var c = Running();
        Progress(c, 1, 3);
        c.OnDamaged(0);
        Assert.Contains("0 checkpoint problem(s) reported", c.OnNodeStarted(new NodeStarted(0, 1, new Stage(4, 0), true)));

        var d = Running();
        Progress(d, 1, 3);
        d.OnDamaged(0);
        d.OnCheckpointProblem(0, "checkpoint 3 of c1/n1: torn write, using 2");
        Assert.Contains("newest valid checkpoint is iteration 3", d.OnNodeStarted(new NodeStarted(0, 1, new Stage(4, 0), true)));
    }

    [Fact]
    public void Without_a_valid_checkpoint_a_node_must_start_afresh()
    {
        var c = Running(keepLast: 1);
        Progress(c, 1, 1);
        c.OnDamaged(0);
        c.OnCheckpointProblem(0, "checkpoint 1 of c1/n1: torn write, no valid checkpoint left");
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 0, new Stage(1, 0), false)));

        var d = Running(keepLast: 1);
        Progress(d, 1, 1);
        d.OnDamaged(0);
        d.OnCheckpointProblem(0, "checkpoint 1 of c1/n1: torn write, no valid checkpoint left");
        Assert.Contains("no valid checkpoint", d.OnNodeStarted(new NodeStarted(0, 1, new Stage(2, 0), true)));
    }

    [Fact]
    public void Only_the_last_records_are_kept_like_the_store_does()
    {
        // keep 2: after saves for 2, 3, 4 the store holds 3 and 4; damaging 4 leaves 3 as the newest valid one.
        var c = Running(keepLast: 2);
        Progress(c, 1, 3);
        c.OnDamaged(0);
        c.OnCheckpointProblem(0, "checkpoint 3 of c1/n1: checksum mismatch, using 2");
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 1, new Stage(3, 0), true)));
    }

    [Fact]
    public void Checkpoints_reported_after_later_iterations_are_checked_against_their_own_iteration()
    {
        // The writer reports a checkpoint once stored: the node may have completed iterations 2 and 3 by then.
        var c = Running();
        for (var t = 1; t <= 3; t++)
        {
            c.OnIterationCompleted(new IterationCompleted(0, t, [t, -t], false));
        }
        Assert.Null(c.OnCheckpointSaved(0, new SaveCheckpoint(0, 2, [1.0, -1.0])));
        Assert.Null(c.OnCheckpointSaved(0, new SaveCheckpoint(0, 3, [2.0, -2.0])));
        c.OnIterationCompleted(new IterationCompleted(0, 4, [4.0, -4.0], false));
        Assert.Null(c.OnCheckpointSaved(0, new SaveCheckpoint(0, 4, [3.0, -3.0])));
        Assert.Null(c.OnCheckpointSaved(0, new SaveCheckpoint(0, 5, [4.0, -4.0])));
        Assert.Equal(3, c.ReportedBehind);
    }

    [Fact]
    public void A_checkpoint_holding_the_previous_model_is_caught_when_reported_late_too()
    {
        var c = Running();
        for (var t = 1; t <= 4; t++)
        {
            c.OnIterationCompleted(new IterationCompleted(0, t, [t, -t], false));
        }
        // The checkpoint-before-state mutant, reported while the node is two iterations further: x_3 instead of x_4.
        Assert.Contains("does not hold the model it reported for iteration 3", c.OnCheckpointSaved(0, new SaveCheckpoint(0, 4, [2.0, -2.0])));
    }

    [Fact]
    public void A_checkpoint_for_an_iteration_not_completed_yet_fails()
    {
        var c = Running();
        c.OnIterationCompleted(new IterationCompleted(0, 1, [1.0, -1.0], false));
        Assert.Contains("without having completed iteration 2", c.OnCheckpointSaved(0, new SaveCheckpoint(0, 3, [1.0, -1.0])));
    }

    [Fact]
    public void A_checkpoint_reported_after_its_node_crashed_is_the_one_the_restart_resumes_from()
    {
        // Asked for before the crash, stored after it (the writer drains its mailbox), still before the restart.
        var c = Running();
        Progress(c, 1, 2);
        c.OnIterationCompleted(new IterationCompleted(0, 3, [3.0, -3.0], false));
        Assert.Null(c.OnCheckpointSaved(0, new SaveCheckpoint(0, 4, [3.0, -3.0])));
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 1, new Stage(4, 0), true)));
        Assert.Null(c.CheckResumedModel(0, 1, [3.0, -3.0]));
    }

    [Fact]
    public void A_checkpoint_of_the_previous_incarnation_after_the_restart_fails()
    {
        var c = Running();
        Progress(c, 1, 2);
        Assert.Null(c.OnNodeStarted(new NodeStarted(0, 1, new Stage(3, 0), true)));
        // The new incarnation completed iteration 3 too, but the record comes from the old one: it was never loaded.
        c.OnIterationCompleted(new IterationCompleted(0, 3, [3.0, -3.0], false));
        Assert.Contains("runs incarnation 1", c.OnCheckpointSaved(0, new SaveCheckpoint(0, 4, [3.0, -3.0])));
    }

    [Fact]
    public void Completed_models_are_remembered_for_a_bounded_number_of_iterations()
    {
        var c = Running();
        for (var t = 1; t <= CheckpointInvariant.CompletedWindow + 1; t++)
        {
            c.OnIterationCompleted(new IterationCompleted(0, t, [t, -t], false));
        }
        // Iteration 1 fell out of the window: a checkpoint for 2 reported this late is a violation of its own.
        Assert.Contains("without having completed iteration 1", c.OnCheckpointSaved(0, new SaveCheckpoint(0, 2, [1.0, -1.0])));
        var last = CheckpointInvariant.CompletedWindow + 1;
        Assert.Null(c.OnCheckpointSaved(0, new SaveCheckpoint(0, last + 1, [last, -last])));
    }
}
