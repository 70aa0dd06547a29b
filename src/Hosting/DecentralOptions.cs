using Microsoft.Extensions.Configuration;

namespace Decentral.Hosting;

/// <summary>Where a hosted Decentral run takes its configuration from; later sources win.</summary>
public sealed class DecentralOptions
{
    /// <summary>A HOCON file (relative paths in it are relative to the file); null: the embedded default.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// A configuration section whose children are the keys under <c>decentral</c> (e.g. the section
    /// "Decentral" of appsettings.json: <c>"Decentral": { "sgd": { "iterations": 100 } }</c>).
    /// Lists are children with keys 0, 1, 2, ….
    /// </summary>
    public IConfiguration? Configuration { get; set; }

    /// <summary><c>key=value</c> HOCON assignments, as <c>decentral --set</c> takes them.</summary>
    public IList<string> Overrides { get; } = [];
}
