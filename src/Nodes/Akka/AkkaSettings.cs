using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Decentral.Hocon;

namespace Decentral.Nodes.Runtime;

/// <summary>
/// The Akka configuration of one actor system, in three layers: Decentral's documented defaults
/// (embedded <c>.conf</c> resources, one per concern, each over the ones before it), the user's own
/// <c>akka { }</c> block over them, and on top the values that must be computed for this system
/// (ports, frame sizes from the model's dimension, timings from <c>decentral.remote</c>, roles). This is
/// the one place where computed values become HOCON; everything else is a resource a user can read.
/// </summary>
/// <remarks>
/// Every layer is parsed by Decentral's own HOCON parser and the merged tree is rendered once for Akka
/// (one key a line, no constructs Akka's parser mishandles; see AKKA.md). Immutable: each <c>With…</c>
/// returns a new instance.
/// </remarks>
public sealed class AkkaSettings
{
    private readonly IReadOnlyList<(string Text, string Origin)> _layers;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _computed;

    private AkkaSettings(IReadOnlyList<(string, string)> layers, IReadOnlyList<KeyValuePair<string, string>> computed)
    {
        _layers = layers;
        _computed = computed;
    }

    /// <summary>No settings: Akka's own defaults.</summary>
    public static AkkaSettings Empty { get; } = new([], []);

    /// <summary>
    /// Decentral's settings for every actor system, simulated or real (logging to standard error,
    /// dead letters, shutdown hooks): the embedded <c>akka-common.conf</c> at <paramref name="logLevel"/>.
    /// </summary>
    public static AkkaSettings Common(string logLevel = "WARNING")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logLevel);
        return Empty.WithResource(typeof(AkkaSettings).Assembly, "akka-common.conf")
            .Set("akka.loglevel", logLevel)
            .Set("akka.stdout-loglevel", logLevel);
    }

    /// <summary>The embedded resource <paramref name="name"/> of <paramref name="assembly"/> laid over the layers so far.</summary>
    public AkkaSettings WithResource(Assembly assembly, string name)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(r => r.EndsWith("." + name, StringComparison.Ordinal) || r == name)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no Akka settings named {name}; check its EmbeddedResource items.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return WithText(reader.ReadToEnd(), $"{name} (embedded in {assembly.GetName().Name})");
    }

    /// <summary>
    /// HOCON text laid over the layers so far (below every computed value): the user's <c>akka { }</c>
    /// block, or another system's settings rendered. Null or blank adds nothing.
    /// </summary>
    public AkkaSettings WithText(string? hocon, string origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        return string.IsNullOrWhiteSpace(hocon) ? this : new AkkaSettings([.. _layers, (hocon, origin)], _computed);
    }

    /// <summary>Lays every layer and computed value of <paramref name="other"/> over this one's.</summary>
    public AkkaSettings With(AkkaSettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new AkkaSettings([.. _layers, .. other._layers], [.. _computed, .. other._computed]);
    }

    /// <summary>A computed string setting (quoted as HOCON requires), above every layer.</summary>
    public AkkaSettings Set(string path, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Add(path, JsonSerializer.Serialize(value));
    }

    /// <summary>A computed integer setting.</summary>
    public AkkaSettings Set(string path, long value) => Add(path, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A computed switch.</summary>
    public AkkaSettings Set(string path, bool value) => Add(path, value ? "on" : "off");

    /// <summary>A computed duration, in whole milliseconds (rounded up, so a positive duration never becomes 0).</summary>
    public AkkaSettings Set(string path, TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(value));
        return Add(path, ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms");
    }

    /// <summary>A computed list of strings.</summary>
    public AkkaSettings Set(string path, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(path, "[" + string.Join(", ", values.Select(v => JsonSerializer.Serialize(v))) + "]");
    }

    /// <summary>A computed size in bytes (Akka's <c>123b</c>).</summary>
    public AkkaSettings SetBytes(string path, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return Add(path, bytes.ToString(CultureInfo.InvariantCulture) + "b");
    }

    /// <summary>The merged, resolved tree (Decentral's HOCON), e.g. for <c>config print</c> or a test.</summary>
    public Config Resolve()
    {
        var merged = Config.Empty;
        foreach (var (text, origin) in _layers)
        {
            merged = HoconParser.ParseUnresolved(text, origin).WithFallback(merged);
        }

        if (_computed.Count > 0)
        {
            var lines = new StringBuilder();
            foreach (var (path, literal) in _computed)
            {
                lines.Append(path).Append(" = ").Append(literal).Append('\n');
            }

            merged = HoconParser.ParseUnresolved(lines.ToString(), "computed by Decentral").WithFallback(merged);
        }

        return merged.Resolve(_ => null);
    }

    /// <summary>The merged settings rendered as HOCON for Akka (one key a line).</summary>
    public string Render() => Resolve().ToHocon();

    /// <summary>Akka's configuration object of the merged settings.</summary>
    public Akka.Configuration.Config ToAkka() => Akka.Configuration.ConfigurationFactory.ParseString(Render());

    private AkkaSettings Add(string path, string literal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new AkkaSettings(_layers, [.. _computed, new KeyValuePair<string, string>(path, literal)]);
    }
}
