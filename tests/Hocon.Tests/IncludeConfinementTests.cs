namespace Decentral.Hocon.Tests;

/// <summary>
/// Issue 24, defect 13: a configuration could include any file the reader can read (absolute paths,
/// <c>../</c>, <c>file:</c> URLs) and a file that is not HOCON had its first line quoted in the error.
/// Now an include names a file in the including file's directory tree (or under an explicit include
/// root), and an included file's text never appears in an error message.
/// </summary>
public sealed class IncludeConfinementTests
{
    /// <summary>What a non-HOCON file might hold; none of it may appear in a message.</summary>
    private const string Secret = "nameserver 10.11.12.13\noptions edns0 trust-ad\nsearch corp.example.internal\n";

    private static Config ParseFile(string path, IIncludeResolver? resolver = null) =>
        HoconParser.ParseFile(path, new HoconParseOptions { Environment = H.NoEnvironment, IncludeResolver = resolver });

    private static void AssertQuotesNothingOf(string message)
    {
        foreach (var word in new[] { "nameserver", "10.11.12.13", "edns0", "corp.example" })
        {
            Assert.DoesNotContain(word, message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("include file(\"{outside}\")")]
    [InlineData("include \"{outside}\"")]
    [InlineData("include required(\"../elsewhere/secret.conf\")")]
    [InlineData("include \"sub/../../elsewhere/secret.conf\"")]
    public void An_include_outside_the_including_files_directory_is_refused(string statement)
    {
        using var dir = new TempDir();
        var outside = dir.Write("elsewhere/secret.conf", Secret);
        var main = dir.Write("conf/main.conf", "a = 1\n" + statement.Replace("{outside}", outside, StringComparison.Ordinal));

        var e = Assert.Throws<HoconParseException>(() => ParseFile(main));

        Assert.Equal((main, 2), (e.Origin!.Source, e.Origin.Line));
        Assert.Contains($"is outside '{Path.Combine(dir.Path, "conf")}', the including file's directory", e.Message, StringComparison.Ordinal);
        AssertQuotesNothingOf(e.Message);
    }

    [Theory]
    [InlineData("file:{outside}")]
    [InlineData("file://{outside}")]
    [InlineData("FILE:secret.conf")]
    [InlineData("jar:file:secret.conf!/a.conf")]
    [InlineData("http://example.com/a.conf")]
    public void Url_names_are_refused_file_urls_included(string name)
    {
        using var dir = new TempDir();
        var outside = dir.Write("secret.conf", "leaked = true");
        var main = dir.Write("main.conf", $"include \"{name.Replace("{outside}", outside, StringComparison.Ordinal)}\"");

        var e = Assert.Throws<HoconParseException>(() => ParseFile(main));

        Assert.Contains("URL includes (file:, http:, ...) are not supported", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 9), (e.Origin!.Line, e.Origin.Column));
    }

    [Fact]
    public void A_symbolic_link_inside_the_tree_to_a_file_outside_it_is_refused()
    {
        using var dir = new TempDir();
        var outside = dir.Write("elsewhere/secret.conf", "leaked = true");
        var main = dir.Write("conf/main.conf", "include \"link.conf\"\ninclude \"linked-dir/secret.conf\"");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "conf", "link.conf"), outside);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "conf", "linked-dir"), Path.GetDirectoryName(outside)!);

        var e = Assert.Throws<HoconParseException>(() => ParseFile(main));
        Assert.Contains($"is a symbolic link to '{outside}', outside", e.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(dir.Path, "conf", "link.conf"));
        e = Assert.Throws<HoconParseException>(() => ParseFile(main));
        Assert.Equal(2, e.Origin!.Line);
        Assert.Contains($"is a symbolic link to '{outside}', outside", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_include_root_allows_another_directory_tree()
    {
        using var dir = new TempDir();
        dir.Write("common/base.conf", "shared = 1");
        var main = dir.Write("runs/first.conf", "include \"../common/base.conf\"\nown = 2");

        Assert.Throws<HoconParseException>(() => ParseFile(main));
        var config = ParseFile(main, new FileIncludeResolver { IncludeRoot = dir.Path });
        Assert.Equal((1, 2), (config.GetInt("shared"), config.GetInt("own")));

        // Within the tree, absolute names and subdirectories are fine without a root.
        var sub = dir.Write("runs/sub/more.conf", "more = 3");
        Assert.Equal(3, ParseFile(dir.Write("runs/second.conf", $"include \"{sub}\"\ninclude \"sub/more.conf\"")).GetInt("more"));
    }

    [Theory]
    [InlineData("include \"resolv.conf\"", 1, 23)]
    [InlineData("include \"resolv.json\"", 1, 23)]
    [InlineData("x { include \"resolv.conf\" }", 1, 23)]
    public void An_error_in_an_included_file_gives_its_position_but_not_its_text(string statement, int line, int column)
    {
        using var dir = new TempDir();
        var resolv = dir.Write("resolv.conf", Secret);
        dir.Write("resolv.json", Secret);
        var main = dir.Write("main.conf", statement);

        var e = Assert.Throws<HoconParseException>(() => ParseFile(main));

        Assert.EndsWith(statement.Contains("json", StringComparison.Ordinal) ? "resolv.json" : "resolv.conf", e.Origin!.Source, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Origin.Line, e.Origin.Column));
        Assert.Contains("expected '=' or ':' after a key, found end of line (the text of an included file is not quoted in messages)", e.Message, StringComparison.Ordinal);
        AssertQuotesNothingOf(e.Message);

        // The same file given as the configuration itself is the user's own: its error quotes it.
        Assert.Contains("nameserver", Assert.Throws<HoconParseException>(() => ParseFile(resolv)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_a_nul_character_is_refused_at_the_include()
    {
        var e = Assert.Throws<HoconParseException>(() => H.Parse("a = 1\ninclude required(\"x\\u0000y.conf\")"));
        Assert.Equal((2, 18), (e.Origin!.Line, e.Origin.Column));
        Assert.Contains("contains the character U+0000, which no file name may hold", e.Message, StringComparison.Ordinal);
    }
}
