using Decentral.Hocon;

namespace Decentral.Configuration;

public static partial class SettingsReader
{
    private const int MaxPort = 65535;
    private static readonly string[] EndpointKeys = ["host", "port"];

    /// <summary>
    /// <c>decentral.remote</c>: cluster i listens on host:base-port + i − 1 unless <c>clusters.NAME</c>
    /// gives its host and/or port. Only shapes and ranges are checked here; the TCP layer binds.
    /// </summary>
    private static RemoteSettings ReadRemote(ConfigReader r, ClusterSettings? cluster)
    {
        var host = r.String("decentral.remote.host", "127.0.0.1");
        if (r.Ok("decentral.remote.host") && host.Trim().Length == 0)
        {
            r.Error("decentral.remote.host", "expected a host name or IP address, found an empty string");
        }

        var basePort = r.Int("decentral.remote.base-port", 1, MaxPort, 1);
        const string clustersKey = "decentral.remote.clusters";
        var overrides = r.Get(clustersKey, static (c, k) => c.GetObject(k), null);
        if (cluster is null)
        {
            return new RemoteSettings([]);
        }

        var m = cluster.Layout.ClusterCount;
        if (r.Ok("decentral.remote.base-port") && (long)basePort + m - 1 > MaxPort)
        {
            r.Error("decentral.remote.base-port", $"expected at most {MaxPort - m + 1} so that all {m} clusters get a port, found {basePort}");
        }

        var endpoints = new RemoteEndpoint[m];
        for (var i = 0; i < m; i++)
        {
            endpoints[i] = new RemoteEndpoint(host, basePort + i);
        }

        foreach (var (name, value) in overrides ?? (IEnumerable<KeyValuePair<string, HoconValue>>)[])
        {
            var entryKey = SchemaCheck.Join(clustersKey, name);
            var index = IndexOf(cluster.Names, name);
            if (index < 0)
            {
                r.Error(entryKey, value.Origin,
                    $"no cluster is named '{name}' (clusters: {string.Join(", ", cluster.Names)}){KeySuggestions.DidYouMean(KeySuggestions.Closest(name, cluster.Names))}");
                continue;
            }

            if (value is not HoconObject entry)
            {
                r.Error(entryKey, value.Origin, $"expected an object {{ host = …, port = … }}, found {value.Describe()}");
                continue;
            }

            var er = r.Child(r.Config.GetConfig(entryKey), entryKey);
            foreach (var key in entry.Keys.Where(k => !EndpointKeys.Contains(k)))
            {
                er.Error(key, entry[key].Origin, "unknown key; expected host or port" + KeySuggestions.DidYouMean(KeySuggestions.Closest(key, EndpointKeys)));
            }

            var entryHost = entry.ContainsKey("host") ? er.String("host", host) : host;
            var entryPort = entry.ContainsKey("port") ? er.Int("port", 1, MaxPort, 1) : endpoints[index].Port;
            endpoints[index] = new RemoteEndpoint(entryHost, entryPort);
        }

        return new RemoteSettings(endpoints);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
