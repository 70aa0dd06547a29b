using Decentral.Actors;

namespace Decentral.TestKit;

/// <summary>
/// The TestConductor's commands, usable at any point of a test. Names resolve through
/// <see cref="IFaultTargets"/>: with the kernel's targets "c1" is a system (a cluster) and "c1/n1" its
/// actor /user/n1 (a node). Unknown names throw ArgumentException naming them.
/// </summary>
public sealed class Faults
{
    public Faults(IFaultTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Targets = targets;
    }

    public IFaultTargets Targets { get; }

    /// <summary>The fault layer, for its counters.</summary>
    public FailureInjectorTransport Network => Targets.Network;

    public void Blackhole(string a, string b, LinkDirection direction = LinkDirection.Both) =>
        Network.Blackhole(Targets.ResolveAddress(a), Targets.ResolveAddress(b), direction);

    public void PassThrough(string a, string b, LinkDirection direction = LinkDirection.Both) =>
        Network.PassThrough(Targets.ResolveAddress(a), Targets.ResolveAddress(b), direction);

    /// <summary>Splits into groups that cannot reach each other (both ways). Names in no group keep their links.</summary>
    public void Partition(params string[][] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Network.Partition([.. groups.Select(g => (IReadOnlyCollection<Address>)[.. g.Select(Targets.ResolveAddress)])]);
    }

    /// <summary>The asymmetric partition: <paramref name="from"/> cannot reach <paramref name="to"/>; the reverse still works.</summary>
    public void PartitionOneWay(string[] from, string[] to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        Network.PartitionOneWay([.. from.Select(Targets.ResolveAddress)], [.. to.Select(Targets.ResolveAddress)]);
    }

    /// <summary>Ends every link fault.</summary>
    public void Heal() => Network.Heal();

    public void Delay(string a, string b, DelayDistribution delay, LinkDirection direction = LinkDirection.Both) =>
        Network.SetDelay(Targets.ResolveAddress(a), Targets.ResolveAddress(b), delay, direction);

    public void Delay(string a, string b, TimeSpan constant, LinkDirection direction = LinkDirection.Both) =>
        Delay(a, b, DelayDistribution.Constant(constant), direction);

    public void Drop(string a, string b, double probability, LinkDirection direction = LinkDirection.Both) =>
        Network.SetDropProbability(Targets.ResolveAddress(a), Targets.ResolveAddress(b), probability, direction);

    public void Duplicate(string a, string b, double probability, LinkDirection direction = LinkDirection.Both) =>
        Network.SetDuplicateProbability(Targets.ResolveAddress(a), Targets.ResolveAddress(b), probability, direction);

    public void Reorder(string a, string b, double probability, TimeSpan maxExtraDelay, LinkDirection direction = LinkDirection.Both) =>
        Network.SetReorder(Targets.ResolveAddress(a), Targets.ResolveAddress(b), probability, maxExtraDelay, direction);

    public void Crash(string target) => Targets.Crash(target);

    public void Restart(string target) => Targets.Restart(target);
}
