using Microsoft.Extensions.Logging;

namespace Decentral.Actors;

/// <summary>
/// Crash and restart, as the fault layer and the TestKit inject them. A crash is a process death:
/// no PostStop, queued messages lost, volatile state gone; watchers still learn of it. Restart
/// recreates from the original Props at the same path, so durable state passed in through the Props
/// (a checkpoint store) is what the new incarnation starts from.
/// </summary>
public sealed partial class ActorSystem
{
    private readonly object _crashGate = new();
    private List<(string Name, Props Props, LocalActorRef Ref)>? _crashedTopLevel;

    /// <summary>Crashes one actor (and its children) of this system.</summary>
    public void Crash(IActorRef actor)
    {
        var cell = OwnCell(actor, nameof(actor));
        if (cell.IsGuardian)
        {
            throw new ArgumentException($"{actor.Path} is a guardian; crash the system instead.", nameof(actor));
        }

        Log.LogWarning("Crashing {Path}", cell.Path);
        cell.CrashNow();
    }

    /// <summary>Recreates a crashed actor from its Props at the same path; the ref given keeps working.</summary>
    public IActorRef Restart(IActorRef actor)
    {
        var cell = OwnCell(actor, nameof(actor));
        if (_crashed)
        {
            throw new InvalidOperationException($"System {Name} is crashed: restart the system, not {actor.Path}.");
        }

        if (!cell.IsCrashed)
        {
            throw new InvalidOperationException($"{actor.Path} is not crashed, so there is nothing to restart.");
        }

        var parent = cell.ParentCell!;
        if (parent.IsCrashed)
        {
            throw new InvalidOperationException($"The parent of {actor.Path} is crashed too: restart it first.");
        }

        Log.LogWarning("Restarting {Path}", cell.Path);
        return parent.CreateChild(cell.Props, cell.Path.Name, (LocalActorRef)cell.Self, isGuardian: false).Self;
    }

    /// <summary>
    /// Crashes the whole system like a process death: every user actor is discarded without PostStop
    /// and the address becomes unreachable; messages to it are dropped.
    /// </summary>
    public void Crash()
    {
        lock (_crashGate)
        {
            if (_crashed)
            {
                return;
            }

            Log.LogWarning("Crashing system {Address}", Address);
            _crashed = true;
            Transport?.Unbind(Address);
            var crashed = new List<(string, Props, LocalActorRef)>();
            foreach (var child in _userGuardian.ChildCells())
            {
                if (!child.IsCrashed && !child.IsTerminated)
                {
                    crashed.Add((child.Path.Name, child.Props, (LocalActorRef)child.Self));
                }

                child.CrashNow();
            }

            _crashedTopLevel = crashed;
        }
    }

    /// <summary>Brings a crashed system back: reachable again, its top-level actors recreated from their Props.</summary>
    public void Restart()
    {
        lock (_crashGate)
        {
            if (!_crashed)
            {
                throw new InvalidOperationException($"System {Name} is not crashed, so there is nothing to restart.");
            }

            Log.LogWarning("Restarting system {Address}", Address);
            _crashed = false;
            Transport?.Bind(Address, ReceiveInbound);
            foreach (var (name, props, actorRef) in _crashedTopLevel ?? [])
            {
                _userGuardian.CreateChild(props, name, actorRef, isGuardian: false);
            }

            _crashedTopLevel = null;
        }
    }

    private ActorCell OwnCell(IActorRef actor, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(actor, parameterName);
        if (actor.Unwrap() is not LocalActorRef local || !ReferenceEquals(local.System, this))
        {
            throw new ArgumentException($"{actor.Path} is not an actor of system {Name}.", parameterName);
        }

        return local.Cell;
    }
}
