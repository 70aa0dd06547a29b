using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>Creation, failure and supervision, restart, stop and crash of a cell.</summary>
internal sealed partial class ActorCell
{
    private void ProcessSystemMessages()
    {
        while (_systemQueue.TryDequeue(out var message))
        {
            try
            {
                ProcessSystemMessage(message);
            }
            catch (Exception ex)
            {
                // Kernel bookkeeping must survive anything user hooks throw from inside it.
                _system.Log.LogError(ex, "Actor {Path}: system message {Message} failed", Path, message.GetType().Name);
            }
        }
    }

    private void ProcessSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case CrashCleanupMsg:
                CleanUpAfterCrash();
                return;
            case WatchMsg watch:
                AddWatcher(watch.Watcher);
                return;
            case UnwatchMsg unwatch:
                RemoveWatcher(unwatch.Watcher);
                return;
            case ChildTerminatedMsg child:
                OnChildTerminated(child.Child);
                return;
            case TerminateMsg when _terminated || (_crashed && _crashCleaned):
                // Already gone: answer again so a parent waiting for this child is not left hanging.
                _parent?.PostSystem(new ChildTerminatedMsg(this));
                return;
        }

        if (_crashed || _terminated)
        {
            return;
        }

        switch (message)
        {
            case CreateMsg:
                Create();
                break;
            case TerminateMsg:
                BeginTerminate();
                break;
            case FailedMsg failed:
                Supervise(failed.Child, failed.Cause, failed.Escalated);
                break;
            case RecreateMsg recreate:
                BeginRecreate(recreate.Cause);
                break;
            case ResumeMsg:
                Resume();
                break;
            case DeathWatchNotificationMsg death:
                OnWatchedTerminated(death.Subject);
                break;
        }
    }

    private void Create()
    {
        if (_actor is not null || _terminating)
        {
            return;
        }

        try
        {
            _actor = NewInstance();
            _actor.PreStart();
        }
        catch (Exception ex)
        {
            HandleFailure(new ActorInitializationException($"{Path}: creation failed: {ex.Message}", ex), null);
        }
    }

    private ActorBase NewInstance()
    {
        var instance = Props.NewActor();
        if (!ReferenceEquals(instance.Cell, this))
        {
            throw new InvalidOperationException($"The Props factory for {Path} must create a new actor instance each time.");
        }

        return instance;
    }

    /// <summary>An exception escaped a handler or hook: suspend, and let the parent decide.</summary>
    private void HandleFailure(Exception exception, object? message, bool escalated = false)
    {
        if (_terminating || _terminated || _crashed)
        {
            Log.LogError(exception, "Actor {Path} failed while stopping", Path);
            return;
        }

        Log.LogError(exception, "Actor {Path} failed on {Message}", Path, message?.GetType().Name ?? "(lifecycle)");
        _suspended = true;
        _failedMessage = message;
        if (_parent is null)
        {
            BeginTerminate();
            return;
        }

        _parent.PostSystem(new FailedMsg(this, exception, escalated));
    }

    private void Supervise(ActorCell child, Exception cause, bool escalated)
    {
        if (!IsCurrentChild(child))
        {
            return;
        }

        var directive = escalated && IsGuardian ? Directive.Escalate : DecideFor(child, cause);
        if (directive == Directive.Escalate && (IsGuardian || _parent is null))
        {
            // Nobody above the guardian: escalation ends the failing actor, loudly.
            _system.Log.LogError(cause, "Escalation from {Path} reached the guardian: stopping it", child.Path);
            directive = Directive.Stop;
        }

        switch (directive)
        {
            case Directive.Resume:
                child.PostSystem(ResumeMsg.Instance);
                break;
            case Directive.Restart:
                child.PostSystem(new RecreateMsg(cause));
                break;
            case Directive.Stop:
                StopChild(child);
                break;
            default:
                HandleFailure(cause, null, escalated: true);
                break;
        }
    }

    private Directive DecideFor(ActorCell child, Exception cause)
    {
        SupervisorStrategy strategy;
        try
        {
            strategy = Props.SupervisorStrategy
                ?? (IsGuardian ? _system.Settings.UserGuardianStrategy : _actor?.SupervisorStrategy())
                ?? SupervisorStrategy.DefaultStrategy;
        }
        catch (Exception ex)
        {
            _system.Log.LogError(ex, "SupervisorStrategy() of {Path} threw; escalating", Path);
            return Directive.Escalate;
        }

        return strategy.Decide(child.RestartStats, cause, _system.Time);
    }

    private void Resume()
    {
        _suspended = false;
        _failedMessage = null;

        // Children that escalated to us wait on our fate: resuming us resumes them.
        foreach (var child in ChildCells())
        {
            child.PostSystem(ResumeMsg.Instance);
        }
    }

    private void BeginRecreate(Exception cause)
    {
        if (_actor is not null)
        {
            try
            {
                _actor.PreRestart(cause, _failedMessage);
            }
            catch (Exception ex)
            {
                Log.LogError(ex, "PreRestart of {Path} threw", Path);
            }
        }

        _timers?.CancelAll();
        _becomeReceive = null;
        _actor = null;
        _recreateCause = cause;
        if (StoppingChildrenCount() == 0)
        {
            FinishRecreate();
        }
    }

    private void FinishRecreate()
    {
        var cause = _recreateCause!;
        _recreateCause = null;
        _failedMessage = null;
        _suspended = false;
        try
        {
            _actor = NewInstance();
            _actor.PostRestart(cause);
        }
        catch (Exception ex)
        {
            HandleFailure(new ActorInitializationException($"{Path}: re-creation failed: {ex.Message}", ex), null);
        }
    }

    /// <summary>Stop: children first, then PostStop, then watchers and parent are told.</summary>
    internal void BeginTerminate()
    {
        if (_terminating || _terminated || _crashed)
        {
            return;
        }

        _terminating = true;
        _timers?.CancelAll();
        var children = ChildCells();
        foreach (var child in children)
        {
            StopChild(child);
        }

        if (children.Count == 0)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        if (_actor is not null)
        {
            try
            {
                _actor.PostStop();
            }
            catch (Exception ex)
            {
                Log.LogError(ex, "PostStop of {Path} threw", Path);
            }
        }

        _actor = null;
        _terminated = true;
        DisposeOfMailbox();
        NotifyWatchers();
        _parent?.PostSystem(new ChildTerminatedMsg(this));
        _system.OnCellTerminated(this);
    }

    /// <summary>Marks this subtree crashed at once (senders see it immediately); cleanup runs on the cell.</summary>
    internal void CrashNow()
    {
        if (_crashed || _terminated)
        {
            return;
        }

        _crashed = true;
        foreach (var child in ChildCells())
        {
            child.CrashNow();
        }

        PostSystem(CrashCleanupMsg.Instance);
    }

    /// <summary>No PostStop, no dead letters: the instance and everything queued simply vanish.</summary>
    private void CleanUpAfterCrash()
    {
        if (!_crashed || _crashCleaned)
        {
            return;
        }

        _crashCleaned = true;
        _timers?.CancelAll();
        _actor = null;
        _becomeReceive = null;
        DisposeOfMailbox();
        NotifyWatchers();
        _parent?.PostSystem(new ChildTerminatedMsg(this));
    }
}
