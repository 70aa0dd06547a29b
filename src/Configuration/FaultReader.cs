using Decentral.Hocon;
using Decentral.Nodes.Runtime;

namespace Decentral.Configuration;

/// <summary>
/// Reads <c>decentral.faults</c>: a list of objects, each with a trigger (<c>at-iteration</c> or
/// <c>at</c>), an <c>action</c> and that action's keys. Targets and cluster names are checked against
/// the configured clusters, so a typo in a node name stops the run before anything starts.
/// </summary>
internal static class FaultReader
{
    public const string Key = "decentral.faults";

    private static readonly string[] TriggerKeys = ["at-iteration", "at", "action"];

    private static readonly Dictionary<string, string[]> ActionKeys = new(StringComparer.Ordinal)
    {
        ["crash"] = ["target"],
        ["restart"] = ["target"],
        ["partition"] = ["groups"],
        ["heal"] = [],
        ["delay"] = ["from", "to", "delay"],
        ["drop"] = ["from", "to", "probability"],
    };

    private static readonly string[] AllKeys = [.. TriggerKeys, .. ActionKeys.Values.SelectMany(k => k).Distinct()];

    /// <param name="cluster">Null when the layout is invalid: targets are then not checked.</param>
    /// <param name="iterations">T, or null when it is invalid: at-iteration is then checked only for ≥ 1.</param>
    public static IReadOnlyList<ScheduledFault> Read(ConfigReader r, ClusterSettings? cluster, int? iterations)
    {
        var list = r.Get(Key, static (c, k) => c.GetList(k), null);
        var faults = new List<ScheduledFault>();
        for (var i = 0; list is not null && i < list.Count; i++)
        {
            var key = $"{Key}.{i}";
            if (list[i] is not HoconObject obj)
            {
                r.Error(key, list[i].Origin, $"expected a fault object such as {{ at-iteration = 50, action = crash, target = \"c1/n1\" }}, found {list[i].Describe()}");
                continue;
            }

            if (ReadOne(r.Child(Config.FromObject(obj), key), obj, cluster, iterations) is { } fault)
            {
                faults.Add(fault);
            }
        }

        return faults;
    }

    private static ScheduledFault? ReadOne(ConfigReader r, HoconObject obj, ClusterSettings? cluster, int? iterations)
    {
        if (!obj.ContainsKey("action"))
        {
            r.Error("action", obj.Origin, $"missing; expected one of {string.Join(", ", ActionKeys.Keys)}");
            return null;
        }

        var action = r.String("action").Trim().ToLowerInvariant();
        if (!r.Ok("action"))
        {
            return null;
        }

        if (!ActionKeys.TryGetValue(action, out var keys))
        {
            r.Error("action", $"unknown fault action '{action}'; expected one of {string.Join(", ", ActionKeys.Keys)}{KeySuggestions.DidYouMean(KeySuggestions.Closest(action, ActionKeys.Keys))}");
            return null;
        }

        var valid = true;
        foreach (var (key, value) in obj)
        {
            if (TriggerKeys.Contains(key) || keys.Contains(key))
            {
                continue;
            }

            valid = false;
            var problem = AllKeys.Contains(key)
                ? $"not used by action {action} (it takes {(keys.Length == 0 ? "no other keys" : string.Join(", ", keys))})"
                : "unknown key in a fault" + KeySuggestions.DidYouMean(KeySuggestions.Closest(key, [.. TriggerKeys, .. keys]));
            r.Error(key, value.Origin, problem);
        }

        foreach (var key in keys.Where(k => !obj.ContainsKey(k)))
        {
            valid = false;
            r.Error(key, obj.Origin, $"missing: action {action} needs {string.Join(", ", keys)}");
        }

        var trigger = ReadTrigger(r, obj, iterations);
        var faultAction = keys.All(obj.ContainsKey) ? ReadAction(r, action, cluster) : null;
        return valid && trigger is not null && faultAction is not null ? new ScheduledFault(trigger, faultAction) : null;
    }

    private static FaultTrigger? ReadTrigger(ConfigReader r, HoconObject obj, int? iterations)
    {
        var hasIteration = obj.ContainsKey("at-iteration");
        var hasTime = obj.ContainsKey("at");
        if (hasIteration == hasTime)
        {
            r.Error("", obj.Origin,
                "expected exactly one trigger: at-iteration = N (when the frontier reaches iteration N) or at = DURATION (after the start)");
            return null;
        }

        if (hasTime)
        {
            var at = r.Duration("at", allowZero: true, TimeSpan.Zero);
            return r.Ok("at") ? new AtTime(at) : null;
        }

        var iteration = r.Int("at-iteration", 1, iterations ?? int.MaxValue, 1);
        return r.Ok("at-iteration") ? new AtIteration(iteration) : null;
    }

    private static FaultAction? ReadAction(ConfigReader r, string action, ClusterSettings? cluster)
    {
        switch (action)
        {
            case "crash" or "restart":
                var target = Target(r, "target", cluster);
                return target is null ? null : action == "crash" ? new CrashFault(target) : new RestartFault(target);
            case "partition":
                var groups = Groups(r, cluster);
                return groups is null ? null : new PartitionFault(groups);
            case "heal":
                return new HealFault();
            default:
                var from = ClusterName(r, "from", cluster);
                var to = ClusterName(r, "to", cluster);
                if (from is not null && to is not null && from == to)
                {
                    r.Error("to", $"expected a cluster other than from ({from}): faults act on the links between two clusters");
                    return null;
                }

                if (action == "delay")
                {
                    var delay = r.Duration("delay", allowZero: false, TimeSpan.Zero);
                    return from is null || to is null || !r.Ok("delay") ? null : new DelayFault(from, to, delay);
                }

                var probability = r.Number("probability", 0, exclusive: false, max: 1, fallback: 0);
                return from is null || to is null || !r.Ok("probability") ? null : new DropFault(from, to, probability);
        }
    }

    /// <summary>A cluster ("c2") or a node ("c2/n1") of the layout.</summary>
    private static string? Target(ConfigReader r, string key, ClusterSettings? cluster)
    {
        if (!r.Config.HasPathOrNull(key))
        {
            return null; // reported as missing
        }

        var text = r.String(key).Trim();
        if (!r.Ok(key) || cluster is null)
        {
            return r.Ok(key) ? text : null;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? text : text[..slash];
        var index = Array.IndexOf([.. cluster.Names], name);
        if (index < 0)
        {
            r.Error(key, UnknownCluster(name, cluster) + " (a target is a cluster such as c1 or a node such as c1/n2)");
            return null;
        }

        if (slash < 0)
        {
            return text;
        }

        var member = text[(slash + 1)..];
        var size = cluster.Layout.SizeOf(index);
        if (member.Length < 2 || member[0] != 'n' || !int.TryParse(member.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) || k < 1 || k > size)
        {
            r.Error(key, $"no node '{text}': cluster {name} has nodes {cluster.NodeName(index, 0)} … {cluster.NodeName(index, size - 1)}");
            return null;
        }

        return text;
    }

    private static string? ClusterName(ConfigReader r, string key, ClusterSettings? cluster)
    {
        if (!r.Config.HasPathOrNull(key))
        {
            return null;
        }

        var name = r.String(key).Trim();
        if (!r.Ok(key) || cluster is null)
        {
            return r.Ok(key) ? name : null;
        }

        if (!cluster.Names.Contains(name))
        {
            r.Error(key, UnknownCluster(name, cluster));
            return null;
        }

        return name;
    }

    private static IReadOnlyList<IReadOnlyList<string>>? Groups(ConfigReader r, ClusterSettings? cluster)
    {
        const string key = "groups";
        if (!r.Config.HasPathOrNull(key))
        {
            return null;
        }

        var list = r.Get(key, static (c, k) => c.GetList(k), null);
        if (list is null)
        {
            return null;
        }

        var groups = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valid = true;
        for (var g = 0; g < list.Count; g++)
        {
            var groupKey = $"{key}.{g}";
            if (list[g] is not HoconList members || members.Count == 0 || members.Any(m => m is not HoconScalar { Type: HoconValueType.String }))
            {
                r.Error(groupKey, list[g].Origin, $"expected a non-empty list of cluster names such as [c2, c3], found {list[g].Describe()}");
                valid = false;
                continue;
            }

            var names = members.Select(m => ((HoconScalar)m).Text).ToArray();
            foreach (var name in names)
            {
                if (cluster is not null && !cluster.Names.Contains(name))
                {
                    r.Error(groupKey, members.Origin, UnknownCluster(name, cluster));
                    valid = false;
                }
                else if (!seen.Add(name))
                {
                    r.Error(groupKey, members.Origin, $"cluster {name} is in more than one group");
                    valid = false;
                }
            }

            groups.Add(names);
        }

        if (valid && groups.Count == 0)
        {
            r.Error(key, "expected at least one group, e.g. groups = [[c1], [c2, c3]]");
            valid = false;
        }

        return valid ? groups : null;
    }

    private static string UnknownCluster(string name, ClusterSettings cluster) =>
        $"no cluster is named '{name}' (clusters: {string.Join(", ", cluster.Names)}){KeySuggestions.DidYouMean(KeySuggestions.Closest(name, cluster.Names))}";
}
