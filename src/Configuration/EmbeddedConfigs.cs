namespace Decentral.Configuration;

/// <summary>
/// The HOCON files compiled into the binary (hocon/reference.conf and hocon/local.conf), so the CLI
/// works from any directory without the repository's hocon/ folder.
/// </summary>
public static class EmbeddedConfigs
{
    /// <summary>The origin name of the embedded reference.conf (shown in positions).</summary>
    public const string ReferenceSource = "reference.conf (embedded)";

    /// <summary>The origin name of the embedded default configuration.</summary>
    public const string LocalSource = "local.conf (embedded)";

    private const string ResourcePrefix = "Decentral.Configuration.hocon.";

    private static readonly Lazy<string> ReferenceLazy = new(() => Read("reference.conf"));
    private static readonly Lazy<string> LocalLazy = new(() => Read("local.conf"));

    /// <summary>The text of hocon/reference.conf.</summary>
    public static string ReferenceText => ReferenceLazy.Value;

    /// <summary>The text of hocon/local.conf, the configuration used when none is given.</summary>
    public static string LocalText => LocalLazy.Value;

    /// <summary>True for origins that name an embedded file rather than one on disk.</summary>
    public static bool IsEmbedded(string source) => source is ReferenceSource or LocalSource;

    private static string Read(string fileName)
    {
        var assembly = typeof(EmbeddedConfigs).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidOperationException(
                $"The binary lacks the embedded resource {ResourcePrefix}{fileName}; check the EmbeddedResource items of Decentral.Configuration.csproj.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
