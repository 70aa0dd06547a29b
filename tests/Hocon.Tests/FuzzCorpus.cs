namespace Decentral.Hocon.Tests;

/// <summary>
/// Seeds for <see cref="FuzzTests"/>: the repository's own configurations (hocon/**/*.conf, embedded
/// into this assembly) and snippets that between them use every construct of the syntax, plus the
/// files the fuzzed text may include (served from memory, including a cycle and files that fail).
/// </summary>
internal static class FuzzCorpus
{
    private const string ResourcePrefix = "corpus/";

    public static IReadOnlyList<string> Snippets { get; } =
    [
        "a = 1\nb = ${a}\nc = ${?missing}\nd = ${a} ${b} text",
        "path = /bin\npath = ${path}\":/usr/bin\"\nlist = [1]\nlist += 2\nlist += [3]",
        "a { b { c = 1, d = [1, 2, {e: f}] } }\na.b.c = 2\na { b.g = ${a.b.c} }",
        "{ \"json\": { \"array\": [1, 2.5, -3e-2, true, false, null, \"s\\u00e9\\n\"] }, \"k\": {} }",
        "x = \"\"\"triple\n\"quoted\" text\"\"\"\ny = ${x}\" tail\"\nz = \"a.b\".c",
        "include \"base.conf\"\nshared.z = ${shared.x}\nlist = ${list} [3]",
        "include required(file(\"base.conf\"))\ninclude \"sub\"\nq = ${p.q}",
        "obj = { a = 1 } { b = 2 }\nnum { \"0\" = a, \"1\" = b }\nconcat = [0] ${num}",
        "d = 250ms\ns = 1.5 s\nbytes = 512K\nflag = yes\nempty = \"\"\nspaced = a  b   c",
        "# comment\n// comment\na = 1 // trailing\nb : 2, c = 3,\n\"quoted key\" = ok\n\"a.b\" = dotted",
        "self = ${?self} [1]\nself = ${self} [2]\nother = ${self}\nenv = ${HOME}",
        "a = ${b}\nb = ${c}\nc = 1\nnested { ref = ${a}, obj = { x = ${nested.ref} } }",
        "arr = [[1, [2, [3]]], {a: [{b: [${?x}]}]}]\nx = [${arr}]",
        "foo : { a : ${bar.d}, b : 1 }\nfoo.b = 3\nbar : { c : ${foo.b}, d : 2 }\nbar.d = 4",
        "a = { x = 1 }\na = 42\na = { y = 2 }\nb = ${a} { z = 3 }",
        "include \"cycle.conf\"\ninclude \"deep.conf\"\ninclude file(\"bad.conf\")",
        "unicode = \"\\u2028 \u00e9\u4e2d\"\nws\u00a0=\u2003value\n\ufeffbom = 1",
        "a = [1, 2,\n 3\n]\nb = [\n]\nc = { }\nd = null\ne = true false",
    ];

    /// <summary>What the fuzzed text may include; anything else is a missing file.</summary>
    public static IReadOnlyDictionary<string, string> Includes { get; } = new Dictionary<string, string>
    {
        ["base.conf"] = "shared { x = 1, y = ${?shared.x} }\nlist = [1, 2]\ninclude \"leaf.conf\"",
        ["leaf.conf"] = "leaf = ${?shared.x} leaf",
        ["cycle.conf"] = "include \"cycle.conf\"\nc = 1",
        ["sub.properties"] = "p.q = 1\np.r.s = two\np..t = \\u0041",
        ["deep.conf"] = "d " + string.Concat(Enumerable.Repeat("{ d ", 600)),
        ["bad.conf"] = "a = ${",
    };

    public static IReadOnlyList<string> Seeds { get; } = [.. Snippets, .. RepositoryConfigs()];

    /// <summary>The embedded copies of hocon/**/*.conf, in a fixed order.</summary>
    public static IEnumerable<string> RepositoryConfigs()
    {
        var assembly = typeof(FuzzCorpus).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            yield return reader.ReadToEnd();
        }
    }
}
