namespace Decentral.Actors;

/// <summary>Children, death watch and the rest of the actor-facing context.</summary>
internal sealed partial class ActorCell
{
    // Dictionary, not ConcurrentDictionary: its enumeration order depends only on the sequence of
    // operations, never on per-process string hashing, which the simulation's determinism needs.
    private readonly Dictionary<string, ActorCell> _children = new(StringComparer.Ordinal);
    private readonly HashSet<ActorCell> _stoppingChildren = new(ReferenceEqualityComparer.Instance);
    private readonly List<IActorRef> _watching = [];
    private readonly List<IActorRef> _watchedBy = [];
    private long _nextChildId;

    public IActorRef ActorOf(Props props, string? name = null) => CreateChild(props, name, reuse: null, isGuardian: false).Self;

    internal ActorCell CreateChild(Props props, string? name, LocalActorRef? reuse, bool isGuardian)
    {
        ArgumentNullException.ThrowIfNull(props);
        name ??= "$" + Interlocked.Increment(ref _nextChildId).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
        ActorPath.ValidateName(name, nameof(name));
        ActorCell cell;
        lock (_children)
        {
            if (_terminating || _terminated || _crashed)
            {
                throw new InvalidOperationException($"{Path} is stopping or crashed and cannot create child '{name}'.");
            }

            if (_children.TryGetValue(name, out var existing) && !existing._crashed)
            {
                throw new ArgumentException($"An actor named '{name}' already exists under {Path}.", nameof(name));
            }

            cell = new ActorCell(_system, this, props, Path.Child(name), reuse, isGuardian);
            _children[name] = cell;
        }

        cell.PostSystem(CreateMsg.Instance);
        return cell;
    }

    internal ActorCell? TryGetChild(string name)
    {
        lock (_children)
        {
            return _children.GetValueOrDefault(name);
        }
    }

    internal List<ActorCell> ChildCells()
    {
        lock (_children)
        {
            return [.. _children.Values];
        }
    }

    private bool IsCurrentChild(ActorCell child)
    {
        lock (_children)
        {
            return _children.TryGetValue(child.Path.Name, out var current) && ReferenceEquals(current, child);
        }
    }

    private int StoppingChildrenCount()
    {
        lock (_children)
        {
            return _stoppingChildren.Count;
        }
    }

    private void StopChild(ActorCell child)
    {
        lock (_children)
        {
            _stoppingChildren.Add(child);
        }

        child.PostSystem(TerminateMsg.Instance);
    }

    private void OnChildTerminated(ActorCell child)
    {
        int remaining;
        int stopping;
        lock (_children)
        {
            if (_children.TryGetValue(child.Path.Name, out var current) && ReferenceEquals(current, child))
            {
                _children.Remove(child.Path.Name);
            }

            _stoppingChildren.Remove(child);
            remaining = _children.Count;
            stopping = _stoppingChildren.Count;
        }

        if (_terminated || _crashed)
        {
            return;
        }

        if (_terminating && remaining == 0)
        {
            FinishTerminate();
        }
        else if (_recreateCause is not null && stopping == 0)
        {
            FinishRecreate();
        }
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Unwrap() is LocalActorRef local)
        {
            var target = local.Cell;
            if (ReferenceEquals(target, this))
            {
                BeginTerminate();
            }
            else if (ReferenceEquals(target._parent, this))
            {
                StopChild(target);
            }
            else
            {
                target.PostSystem(TerminateMsg.Instance);
            }
        }
        else
        {
            _system.Stop(actor);
        }
    }

    public IReadOnlyList<IActorRef> GetChildren()
    {
        lock (_children)
        {
            var refs = new List<IActorRef>(_children.Count);
            foreach (var child in _children.Values)
            {
                if (!child._crashed && !child._terminated)
                {
                    refs.Add(child.Self);
                }
            }

            return refs;
        }
    }

    public IActorRef? Child(string name)
    {
        var child = TryGetChild(name);
        return child is null || child._crashed || child._terminated ? null : child.Self;
    }

    public void Become(Func<object, bool> receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _becomeReceive = receive;
    }

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (IndexOf(_watching, subject.Path) >= 0)
        {
            return subject;
        }

        _watching.Add(subject);
        switch (subject.Unwrap())
        {
            case LocalActorRef local:
                local.Cell.PostSystem(new WatchMsg(Self));
                break;
            case RemoteActorRef remote:
                // Reported when the remote actor stops or crashes while its system lives; a crashed or
                // unreachable system sends nothing (detecting that is the node protocol's failure detector).
                _system.SendRemote(remote.Path, new RemoteWatch(remote.Path, Path, true), null);
                break;
            default:
                // Dead letters and unresolved paths: nothing there will ever report, so it counts as gone.
                PostSystem(new DeathWatchNotificationMsg(subject));
                break;
        }

        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var index = IndexOf(_watching, subject.Path);
        if (index >= 0)
        {
            _watching.RemoveAt(index);
            switch (subject.Unwrap())
            {
                case LocalActorRef local:
                    local.Cell.PostSystem(new UnwatchMsg(Self));
                    break;
                case RemoteActorRef remote:
                    _system.SendRemote(remote.Path, new RemoteWatch(remote.Path, Path, false), null);
                    break;
            }
        }

        return subject;
    }

    private void OnWatchedTerminated(IActorRef subject)
    {
        var index = IndexOf(_watching, subject.Path);
        if (index < 0)
        {
            return;
        }

        var watched = _watching[index];
        _watching.RemoveAt(index);
        _mailbox.ForceEnqueue(new Envelope(new Terminated(watched), watched));
    }

    private void AddWatcher(IActorRef watcher)
    {
        if (_crashed || _terminated)
        {
            Notify(watcher);
            return;
        }

        if (IndexOf(_watchedBy, watcher.Path) < 0)
        {
            _watchedBy.Add(watcher);
        }
    }

    private void RemoveWatcher(IActorRef watcher)
    {
        var index = IndexOf(_watchedBy, watcher.Path);
        if (index >= 0)
        {
            _watchedBy.RemoveAt(index);
        }
    }

    private void NotifyWatchers()
    {
        foreach (var watcher in _watchedBy)
        {
            Notify(watcher);
        }

        _watchedBy.Clear();
    }

    private void Notify(IActorRef watcher)
    {
        switch (watcher.Unwrap())
        {
            case LocalActorRef local:
                local.Cell.PostSystem(new DeathWatchNotificationMsg(Self));
                break;
            case RemoteActorRef remote:
                _system.SendRemote(remote.Path, new RemoteDeathNotification(Path), null);
                break;
        }
    }

    private static int IndexOf(List<IActorRef> refs, ActorPath path)
    {
        for (var i = 0; i < refs.Count; i++)
        {
            if (refs[i].Path == path)
            {
                return i;
            }
        }

        return -1;
    }
}
