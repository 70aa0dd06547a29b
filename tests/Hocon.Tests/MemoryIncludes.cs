namespace Decentral.Hocon.Tests;

/// <summary>Includes served from memory by name, so tests that include files never touch the disk.</summary>
internal sealed class MemoryIncludes(IReadOnlyDictionary<string, string> files) : IIncludeResolver
{
    public IncludedText? TryRead(string name, string? includingSource) =>
        files.TryGetValue(name, out var text) ? new IncludedText(name, text) : null;

    public string Identify(IncludedText included) => included.Source;
}
