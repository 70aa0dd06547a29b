using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Decentral.Nodes.Runtime;

namespace Decentral.Remote;

/// <summary>
/// What every process of a deployment must agree on for the protocol to mean anything, as named entries:
/// the clusters and their sizes (layout), the model dimension, the quorum rule, the agreement rounds, the
/// iterations, the model (objective, λ, step size, batch, partition, x₁) and the seeds. Processes exchange
/// it when they associate (<see cref="PeerIdentity"/>); a peer whose fingerprint differs is refused, and
/// the log names the entries that differ, with both values. The wire format and the transport's timing
/// are not in it: they may differ between processes.
/// </summary>
public sealed class DeploymentFingerprint
{
    private DeploymentFingerprint(IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        Entries = entries;
        var canonical = string.Join("\n", entries.Select(e => e.Key + "=" + e.Value));
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    /// <summary>The entries, in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries { get; }

    /// <summary>A short hash of the entries (16 hex digits), as `status` shows it.</summary>
    public string Hash { get; }

    /// <summary>The fingerprint of the run <paramref name="spec"/> describes.</summary>
    public static DeploymentFingerprint Of(ClusterRunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var inv = CultureInfo.InvariantCulture;
        var p = spec.Protocol;
        var t = spec.Training;
        var names = Enumerable.Range(0, spec.Layout.ClusterCount).Select(spec.ClusterName);
        var initial = t.InitialModel is null
            ? "zeros"
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(MemoryMarshalBytes(t.InitialModel)))[..16];
        return new DeploymentFingerprint(
        [
            new("layout", string.Join(",", names) + " of sizes " + spec.Layout),
            new("dimension", t.Dimension.ToString(inv)),
            new("quorum", p.Quorum.ToString() ?? ""),
            new("rounds", string.Create(inv, $"{p.Rounds} (+{p.FinalRounds} final), in-cluster {p.ClusterRounds}, {p.Rule.Name}")),
            new("iterations", p.Iterations.ToString(inv)),
            new("model", string.Create(inv, $"{t.CreateModel().Name}, step {t.StepSize}, batch {t.BatchSize}, partition {t.Partition}, x₁ {initial}")),
            new("seed", string.Create(inv, $"{spec.Seed}/{t.Seed}")),
        ]);
    }

    /// <summary>The fingerprint a peer sent (its keys and values, in order).</summary>
    /// <exception cref="ArgumentException">Keys and values of different lengths, or too many to be a fingerprint.</exception>
    public static DeploymentFingerprint From(IReadOnlyList<string> keys, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.Count != values.Count || keys.Count > 64)
        {
            throw new ArgumentException($"A fingerprint has as many values as keys, at most 64 ({keys.Count} keys, {values.Count} values).", nameof(values));
        }

        return new DeploymentFingerprint([.. keys.Select((k, i) => new KeyValuePair<string, string>(k ?? "", values[i] ?? ""))]);
    }

    /// <summary>
    /// Every entry that differs from <paramref name="theirs"/>: "layout: c1,c2,c3 of sizes 3,3,3 here, c1,c2,c3
    /// of sizes 1,5,3 there" (an entry one side lacks shows as "(none)"); empty when they agree.
    /// </summary>
    public IReadOnlyList<string> Differences(DeploymentFingerprint theirs)
    {
        ArgumentNullException.ThrowIfNull(theirs);
        var mine = Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in theirs.Entries)
        {
            other.TryAdd(e.Key, e.Value);
        }

        var keys = Entries.Select(e => e.Key).Concat(theirs.Entries.Select(e => e.Key).Where(k => !mine.ContainsKey(k))).Distinct(StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var key in keys)
        {
            var here = mine.GetValueOrDefault(key);
            var there = other.GetValueOrDefault(key);
            if (!string.Equals(here, there, StringComparison.Ordinal))
            {
                differences.Add($"{Clip(key)}: {Clip(here ?? "(none)")} here, {Clip(there ?? "(none)")} there");
            }
        }

        return differences;
    }

    public override string ToString() => Hash;

    /// <summary>A peer's value in a log line: at most 200 characters (a hostile peer chooses them).</summary>
    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static byte[] MemoryMarshalBytes(IReadOnlyList<double> values)
    {
        var bytes = new byte[values.Count * sizeof(double)];
        for (var i = 0; i < values.Count; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        return bytes;
    }
}
