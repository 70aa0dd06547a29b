using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;

namespace Decentral.Remote;

/// <summary>
/// The link faults of one process of a multi-process deployment, injected where Akka's own fault tooling
/// acts: in the transport adapters of its actor system (<see cref="RemoteRuntimes.FaultAdapters"/>).
/// Blackholes and partitions set the throttler (<c>trttl</c>) to <see cref="Blackhole"/> for the peer, both
/// directions (everything to and from it is dropped, never delivered late; heal sets
/// <see cref="Unthrottled"/>); random drops go through the failure injector (<c>gremlin</c>,
/// <see cref="FailureInjectorTransportAdapter.Drop"/> on what this process sends). Each process applies a
/// fault to its own transport; the fault commands ask both ends, so a cut holds even while one end is
/// down. A peer is named by its configured host:port (the adapters compare nothing else).
/// </summary>
public sealed class TransportFaults
{
    /// <summary>How long a management command may take (the throttler asks each association's actor).</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly ActorSystem _system;
    private readonly RemoteOptions _remote;
    private readonly int _self;
    private readonly Lock _gate = new();
    private readonly bool[] _blackholed;
    private readonly double[] _drop;

    public TransportFaults(ActorSystem system, RemoteOptions remote, int self)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(remote);
        _system = system;
        _remote = remote;
        _self = self;
        _blackholed = new bool[remote.Clusters.Count];
        _drop = new double[remote.Clusters.Count];
    }

    /// <summary>Drops everything to and from cluster <paramref name="peer"/>.</summary>
    public void Blackhole(int peer) => SetBlackholed(peer, true);

    /// <summary>Ends every adapter fault on the link with cluster <paramref name="peer"/>: blackhole (or partition cut) and drops.</summary>
    public void PassThrough(int peer)
    {
        SetBlackholed(peer, false);
        Drop(peer, 0);
    }

    /// <summary>
    /// Cuts this process off every cluster outside its own group; clusters named in no group form one
    /// more group. Existing cuts stay (as in the single-process runtime) until heal or passthrough.
    /// </summary>
    /// <exception cref="ArgumentException">A cluster is unknown or in two groups.</exception>
    public IReadOnlyList<string> Partition(IReadOnlyList<IReadOnlyList<string>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var groupOf = new int[_remote.Clusters.Count];
        Array.Fill(groupOf, -1);
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var name in groups[g])
            {
                var c = _remote.IndexOf(name);
                if (c < 0)
                {
                    throw new ArgumentException($"Unknown cluster '{name}'; clusters are {string.Join(", ", _remote.Clusters)}.", nameof(groups));
                }

                if (groupOf[c] >= 0)
                {
                    throw new ArgumentException($"Cluster '{name}' appears in more than one partition group.", nameof(groups));
                }

                groupOf[c] = g;
            }
        }

        var cut = new List<string>();
        for (var c = 0; c < groupOf.Length; c++)
        {
            if (c != _self && groupOf[c] != groupOf[_self])
            {
                Blackhole(c);
                cut.Add(_remote.Clusters[c]);
            }
        }

        return cut;
    }

    /// <summary>Drops what this process sends to <paramref name="peer"/> with <paramref name="probability"/> (0: none).</summary>
    public void Drop(int peer, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        CheckPeer(peer);
        FailureInjectorTransportAdapter.IGremlinMode mode = probability == 0
            ? FailureInjectorTransportAdapter.PassThru.Instance
            : new FailureInjectorTransportAdapter.Drop(probability, 0.0);
        Command(new FailureInjectorTransportAdapter.One(_remote.Addresses[peer], mode));
        lock (_gate)
        {
            _drop[peer] = probability;
        }
    }

    /// <summary>Ends every blackhole, partition cut and drop of this process's transport.</summary>
    public void Heal()
    {
        for (var c = 0; c < _remote.Clusters.Count; c++)
        {
            if (c != _self)
            {
                PassThrough(c);
            }
        }
    }

    /// <summary>The adapter faults on the link to <paramref name="peer"/>: "blackholed", "drop 0.3", both, or none.</summary>
    public IReadOnlyList<string> Describe(int peer)
    {
        lock (_gate)
        {
            var parts = new List<string>();
            if (_blackholed[peer])
            {
                parts.Add("blackholed");
            }

            if (_drop[peer] > 0)
            {
                parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"drop {_drop[peer]}"));
            }

            return parts;
        }
    }

    private void SetBlackholed(int peer, bool blackholed)
    {
        CheckPeer(peer);
        ThrottleMode mode = blackholed ? Akka.Remote.Transport.Blackhole.Instance : Unthrottled.Instance;
        Command(new SetThrottle(_remote.Addresses[peer], ThrottleTransportAdapter.Direction.Both, mode));
        lock (_gate)
        {
            _blackholed[peer] = blackholed;
        }
    }

    private void CheckPeer(int peer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(peer, _remote.Clusters.Count);
        if (peer == _self)
        {
            throw new ArgumentException($"{_remote.Clusters[peer]} is this process's own cluster.", nameof(peer));
        }
    }

    /// <summary>Hands <paramref name="command"/> to the transport's adapters and waits for their acknowledgement.</summary>
    private void Command(object command) => Apply(_system, command, CommandTimeout);

    /// <summary>
    /// Hands a management <paramref name="command"/> (SetThrottle, a failure-injector command) to
    /// <paramref name="system"/>'s transport adapters and waits until they acknowledge it, within
    /// <paramref name="timeout"/>. The throttler records the mode at once but also asks the actor of every
    /// existing association, and one still in its handshake may not answer Akka's 5 s ask; the command is
    /// idempotent, so a timed-out ask is repeated until the deadline.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not applied within <paramref name="timeout"/>, or the adapters failed.</exception>
    public static void Apply(ActorSystem system, object command, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(command);
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)system).Provider).Transport;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var attempts = 0;
        while (true)
        {
            attempts++;
            var done = transport.ManagementCommand(command);
            var left = timeout - clock.Elapsed;
            try
            {
                if (left > TimeSpan.Zero && done.Wait(left) && done.Result)
                {
                    return;
                }
            }
            catch (AggregateException e) when (e.Flatten().InnerExceptions.Any(x => x is AskTimeoutException) && clock.Elapsed < timeout)
            {
                continue;
            }
            catch (AggregateException e)
            {
                throw new InvalidOperationException($"Akka.Remote's transport adapters failed to apply {command.GetType().Name}: {e.InnerException?.Message}", e);
            }

            throw new InvalidOperationException(
                $"Akka.Remote's transport adapters did not apply {command.GetType().Name} within {timeout.TotalSeconds} s ({attempts} attempt(s); are applied-adapters = {RemoteRuntimes.FaultAdapters} on?).");
        }
    }
}
