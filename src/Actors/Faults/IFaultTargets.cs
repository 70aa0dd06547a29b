namespace Decentral.Actors;

/// <summary>
/// Names that fault commands accept, resolved to systems, actors and link addresses. The kernel's
/// <see cref="ActorSystemFaultTargets"/> understands "c1" (a system) and "c1/n1" (actor /user/n1 of
/// c1); a LocalCluster may implement its own naming. Unknown names throw ArgumentException naming them.
/// </summary>
public interface IFaultTargets
{
    /// <summary>The fault layer the link commands act on.</summary>
    FailureInjectorTransport Network { get; }

    /// <summary>The address whose links a name stands for (an actor's links are its system's).</summary>
    Address ResolveAddress(string name);

    /// <summary>Crashes a system ("c1") or an actor ("c1/n1").</summary>
    void Crash(string name);

    /// <summary>Restarts what <see cref="Crash"/> crashed under the same name.</summary>
    void Restart(string name);
}

/// <summary>Fault targets over a set of actor systems that share one fault layer.</summary>
public sealed class ActorSystemFaultTargets : IFaultTargets
{
    private readonly Func<string, ActorSystem?> _lookup;
    private readonly Dictionary<string, IActorRef> _crashedActors = new(StringComparer.Ordinal);

    public ActorSystemFaultTargets(FailureInjectorTransport network, Func<string, ActorSystem?> lookup)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(lookup);
        Network = network;
        _lookup = lookup;
    }

    public ActorSystemFaultTargets(FailureInjectorTransport network, IEnumerable<ActorSystem> systems)
        : this(network, Lookup(systems))
    {
    }

    public FailureInjectorTransport Network { get; }

    public Address ResolveAddress(string name) => ResolveSystem(name).System.Address;

    public void Crash(string name)
    {
        var (system, path) = ResolveSystem(name);
        if (path is null)
        {
            system.Crash();
            return;
        }

        var actor = system.ResolveRef(path);
        if (actor.Unwrap() is not LocalActorRef)
        {
            throw new ArgumentException($"Unknown fault target '{name}': no live actor at {path}.", nameof(name));
        }

        system.Crash(actor);
        lock (_crashedActors)
        {
            _crashedActors[path.ToString()] = actor;
        }
    }

    public void Restart(string name)
    {
        var (system, path) = ResolveSystem(name);
        if (path is null)
        {
            system.Restart();
            return;
        }

        IActorRef? actor;
        lock (_crashedActors)
        {
            _crashedActors.Remove(path.ToString(), out actor);
        }

        if (actor is null)
        {
            throw new ArgumentException($"'{name}' was not crashed through these fault targets, so it cannot be restarted.", nameof(name));
        }

        system.Restart(actor);
    }

    /// <summary>"c1" → (c1, null); "c1/n1/worker" → (c1, dct://c1/user/n1/worker); full paths are accepted as they are.</summary>
    private (ActorSystem System, ActorPath? Path) ResolveSystem(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains("://", StringComparison.Ordinal))
        {
            ActorPath full;
            try
            {
                full = ActorPath.Parse(name);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Unknown fault target '{name}': {ex.Message}", nameof(name), ex);
            }

            var owner = _lookup(full.Address.System) ?? throw Unknown(name);
            return (owner, full.Elements.Count == 0 ? null : full);
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var system = (parts.Length == 0 ? null : _lookup(parts[0])) ?? throw Unknown(name);
        if (parts.Length == 1)
        {
            return (system, null);
        }

        return (system, new ActorPath(system.Address, ["user", .. parts[1..]]));
    }

    private static ArgumentException Unknown(string name) =>
        new($"Unknown fault target '{name}': no such system.", nameof(name));

    private static Func<string, ActorSystem?> Lookup(IEnumerable<ActorSystem> systems)
    {
        ArgumentNullException.ThrowIfNull(systems);
        var list = systems.ToList();
        return name => list.Find(s => s.Name == name);
    }
}
