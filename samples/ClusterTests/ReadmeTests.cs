using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace ClusterTests;

/// <summary>
/// The README's C# examples (and the packages' readme, docs/PACKAGE.md) are files of this project,
/// compiled against the packages: every C# block there must be, character for character, one of the
/// .cs files here.
/// </summary>
public sealed partial class ReadmeTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/PACKAGE.md")]
    public void Every_CSharp_block_of_the_documentation_is_a_compiled_file_of_this_project(string document)
    {
        var project = ProjectDirectory();
        var path = Path.GetFullPath(Path.Combine(project, "..", "..", document));
        Assert.True(File.Exists(path), $"{path} not found: this test checks the repository's documentation against the sample it ships with.");
        var files = Directory.GetFiles(project, "*.cs").Select(f => Normalize(File.ReadAllText(f))).ToHashSet(StringComparer.Ordinal);
        var blocks = CSharpBlocks(File.ReadAllText(path));
        Assert.NotEmpty(blocks);
        var stray = blocks
            .Where(b => !files.Contains(b.Text))
            .Select(b => $"{document} line {b.Line} ({b.Text.Split('\n')[0]}): no .cs file of samples/ClusterTests has this content")
            .ToList();
        Assert.True(stray.Count == 0, string.Join(Environment.NewLine, stray));
    }

    private static List<(int Line, string Text)> CSharpBlocks(string markdown)
    {
        var text = Normalize(markdown);
        return [.. Fence().Matches(text).Select(m => (text[..m.Index].Count(c => c == '\n') + 1, m.Groups["code"].Value))];
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    private static string ProjectDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [GeneratedRegex(@"^```csharp\n(?<code>.*?\n)```$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Fence();
}
