using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Decentral.Hocon.Tests;

/// <summary>
/// Issue 15: nesting is limited to <see cref="HoconParser.MaxNestingDepth"/> levels (the root object is
/// level 1). Deeper text is an error at the bracket that goes too deep instead of a stack overflow that
/// kills the process. Everything runs on a 1 MB stack, the smallest common default.
/// </summary>
public sealed class NestingTests
{
    private const int Max = HoconParser.MaxNestingDepth;
    private const string TooDeep = "nesting deeper than 512 levels of objects and lists";

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static HoconParseException ParseError(string text, string file = "deep.conf") =>
        StackThread.Run(() => Assert.Throws<HoconParseException>(() => H.Parse(text, file)));

    private static HoconResolveException ResolveError(string text) =>
        StackThread.Run(() => Assert.Throws<HoconResolveException>(() => H.Parse(text)));

    private static void AssertAt(HoconException e, string file, int line, int column, string message)
    {
        Assert.Equal(new ConfigOrigin(file, line, column), e.Origin);
        Assert.Equal($"{file}:{line}:{column}: {message}", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ten_thousand_nested_objects_fail_at_the_brace_that_opens_level_513(bool closed)
    {
        // {"a":{"a":...: the k-th '{' opens level k and starts at column 5(k - 1) + 1.
        var text = Repeat("{\"a\":", 10_000) + (closed ? "1" + Repeat("}", 10_000) : "");
        AssertAt(ParseError(text), "deep.conf", 1, (5 * Max) + 1, TooDeep);
    }

    [Fact]
    public void Ten_thousand_nested_objects_on_separate_lines_report_the_line()
    {
        // Unbraced root: line k is "a {" and opens level k + 1.
        var text = Repeat("a {\n", 10_000) + Repeat("}\n", 10_000);
        AssertAt(ParseError(text), "deep.conf", Max, 3, TooDeep);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ten_thousand_nested_lists_fail_at_the_bracket_that_opens_level_513(bool closed)
    {
        // "a = [[[...": the k-th '[' is at column 4 + k and opens level k + 1.
        var text = "a = " + Repeat("[", 10_000) + (closed ? Repeat("]", 10_000) : "");
        AssertAt(ParseError(text), "deep.conf", 1, 4 + Max, TooDeep);
    }

    [Fact]
    public void Ten_thousand_nested_lists_on_separate_lines_report_the_line()
    {
        var text = "a = [\n" + Repeat("[\n", 9_999) + Repeat("]\n", 10_000);
        AssertAt(ParseError(text), "deep.conf", Max, 1, TooDeep);
    }

    [Fact]
    public void Alternating_lists_and_objects_count_both()
    {
        // "a = [{a: [{a: ...": each "[{a: " adds two levels; the 256th '{' opens level 513.
        var text = "a = " + Repeat("[{a: ", 5_000);
        AssertAt(ParseError(text), "deep.conf", 1, 4 + (5 * 255) + 2, TooDeep);
    }

    [Fact]
    public void A_dotted_key_nests_one_level_per_element()
    {
        var key = string.Join('.', Enumerable.Repeat("a", 10_000));
        AssertAt(ParseError(key + " = 1"), "deep.conf", 1, 1, TooDeep + " (the key has 10000 path elements)");

        var e = ParseError("x { " + string.Join('.', Enumerable.Repeat("a", Max)) + " = 1 }");
        AssertAt(e, "deep.conf", 1, 5, TooDeep + $" (the key has {Max} path elements)");
    }

    [Fact]
    public void Plus_equals_opens_a_list_level()
    {
        var fits = string.Join('.', Enumerable.Repeat("a", Max - 1));
        Assert.Equal([1], StackThread.Run(() => H.Parse(fits + " += 1").GetIntList(fits)));

        var tooDeep = string.Join('.', Enumerable.Repeat("a", Max));
        AssertAt(ParseError(tooDeep + " += 1"), "deep.conf", 1, tooDeep.Length + 2, TooDeep);
    }

    [Fact]
    public void Overrides_are_limited_too()
    {
        var e = Assert.Throws<HoconParseException>(() => Config.ParseOverrides(["a=" + Repeat("[", 10_000)]));
        AssertAt(e, "--set[1]", 1, 2 + Max, TooDeep);
    }

    [Fact]
    public void Objects_at_the_limit_parse_resolve_render_and_flatten()
    {
        // 511 objects under the root: 512 levels.
        var text = Repeat("a {", Max - 1) + "x = 1" + Repeat("}", Max - 1);
        var path = Repeat("a.", Max - 1) + "x";
        var key = Repeat("a:", Max - 1) + "x";
        StackThread.Run(() =>
        {
            var config = H.Parse(text);
            Assert.Equal(Max, config.Root.Depth);
            Assert.Equal(1, config.GetInt(path));
            Assert.Equal(path, Assert.Single(config.Entries()).Key);
            Assert.Equal(1, H.Parse(config.ToHocon()).GetInt(path));
            Assert.Equal(1, H.Parse(config.ToHocon(withOrigins: true)).GetInt(path));
            Assert.Equal(1, H.Parse(config.ToJson(indented: false)).GetInt(path));

            using var json = JsonDocument.Parse(config.ToJson(), new JsonDocumentOptions { MaxDepth = Max });
            var element = json.RootElement;
            for (var i = 0; i < Max - 1; i++)
            {
                element = element.GetProperty("a");
            }

            Assert.Equal(1, element.GetProperty("x").GetInt32());
            Assert.Equal("1", HoconConfigurationProvider.Flatten(config.Root)[key]);
            Assert.Equal("1", new ConfigurationBuilder().AddHocon(config).Build()[key]);
        });
        AssertAt(ParseError("a {" + text + "}"), "deep.conf", 1, 3 * Max, TooDeep);
    }

    [Fact]
    public void Lists_at_the_limit_parse_resolve_render_and_flatten()
    {
        var text = "a = " + Repeat("[", Max - 1) + "7" + Repeat("]", Max - 1);
        var key = "a" + Repeat(":0", Max - 1);
        StackThread.Run(() =>
        {
            var config = H.Parse(text);
            Assert.Equal(Max, config.Root.Depth);
            Assert.Equal(config.ToJson(), H.Parse(config.ToHocon()).ToJson());
            Assert.Equal("7", HoconConfigurationProvider.Flatten(config.Root)[key]);
            Assert.Equal("7", new ConfigurationBuilder().AddHocon(config).Build()[key]);
        });
        AssertAt(ParseError("a = [" + text[4..] + "]"), "deep.conf", 1, 4 + Max, TooDeep);
    }

    [Fact]
    public void An_included_file_continues_the_count_of_the_object_it_is_included_into()
    {
        // main.conf opens levels 2..301; inner.conf's line k opens level 301 + k.
        var includes = new MemoryIncludes(new Dictionary<string, string>
        {
            ["inner.conf"] = Repeat("b {\n", 300),
            ["inner.properties"] = "ok = 1\n" + string.Join('.', Enumerable.Repeat("p", 213)) + " = 2",
        });
        var main = Repeat("a {\n", 300) + "include \"inner.conf\"\n" + Repeat("}\n", 300);
        var e = StackThread.Run(() => Assert.Throws<HoconParseException>(() => HoconParser.Parse(main, "main.conf", includes)));
        AssertAt(e, "inner.conf", Max - 300, 3, TooDeep);

        // A .properties key p.p...p of 213 elements at level 301 reaches level 513.
        var withProperties = Repeat("a {\n", 300) + "include \"inner.properties\"\n" + Repeat("}\n", 300);
        e = Assert.Throws<HoconParseException>(() => HoconParser.Parse(withProperties, "main.conf", includes));
        AssertAt(e, "inner.properties", 2, 1, TooDeep + " (the key has 213 path elements)");
    }

    [Fact]
    public void A_substitution_resolved_deep_inside_an_object_counts_the_levels_of_both()
    {
        // a0 holds levels 2..301 and ${a1} at level 301; a1's k-th object would open level 301 + k.
        var a0 = "a0 = {" + Repeat("x {", 299) + "x = ${a1}" + Repeat("}", 300);
        var a1 = "a1 = {" + Repeat("x {", 299) + "x = 1" + Repeat("}", 300);
        var e = ResolveError(a0 + "\n" + a1);
        var substitution = a0.IndexOf("${a1}", StringComparison.Ordinal) + 1;
        AssertAt(e, "test.conf", 2, 6 + (3 * (Max - 301)),
            $"{TooDeep}, counting values put in by substitutions, reached through ${{a1}} at test.conf:1:{substitution}");
        Assert.False(e.IsCycle);
    }

    [Fact]
    public void A_value_resolved_earlier_is_checked_where_a_substitution_puts_it()
    {
        // b is resolved (300 levels) before c reaches ${b} at level 301, so it is inserted whole.
        var a = "a = {" + Repeat("x {", 299) + "x = 1" + Repeat("}", 300);
        var c = "c = {" + Repeat("y {", 299) + "z = ${b}" + Repeat("}", 300);
        var e = ResolveError($"{a}\nb = ${{a}}\n{c}");
        AssertAt(e, "test.conf", 3, c.IndexOf("${b}", StringComparison.Ordinal) + 1, $"{TooDeep}, counting values put in by substitutions");

        // At 200 levels the same value fits: 1 + 200 + 300 levels.
        var shallower = "c = {" + Repeat("y {", 199) + "z = ${b}" + Repeat("}", 200);
        var config = StackThread.Run(() => H.Parse($"{a}\nb = ${{a}}\n{shallower}"));
        Assert.Equal(501, config.Root.Depth);
        Assert.Equal(1, config.GetInt("c." + Repeat("y.", 199) + "z." + Repeat("x.", 299) + "x"));
    }

    [Fact]
    public void A_memoized_value_met_again_deeper_is_checked_in_the_object_that_holds_it()
    {
        // q evaluates ${a} at v first (from the root, 1 + 300 levels); then resolving d meets the same
        // substitution at level 400, where its memoized 300 levels no longer fit. The object at level 188
        // (the 186th "e {") is the first whose depth, 701 - 188, passes the limit.
        var d = "d {" + Repeat("e {", 398) + "v = ${a}" + Repeat("}", 399);
        var a = "a = {" + Repeat("x {", 299) + "x = 1" + Repeat("}", 300);
        var e = ResolveError($"q = ${{d.{Repeat("e.", 398)}v}}\n{d}\n{a}");
        AssertAt(e, "test.conf", 2, 3 + (3 * 186), $"{TooDeep}, counting values put in by substitutions");
    }

    [Theory]
    [InlineData("chain", 1001, 9)]
    [InlineData("plus-equals", 4500, 3)]
    [InlineData("deepest-objects-then-chain", 1001, 10)]
    public void Long_substitution_chains_stop_at_1000_nested_evaluations(string shape, int line, int column)
    {
        var text = shape switch
        {
            "chain" => string.Concat(Enumerable.Range(0, 5_000).Select(i => $"k{i} = ${{k{i + 1}}}\n")) + "k5000 = 1",
            "plus-equals" => Repeat("a += 1\n", 5_000),
            // 511 levels of objects, then substitutions that each look up a path through an object.
            _ => Repeat("a {", Max - 2) + "v = ${k0.x}" + Repeat("}", Max - 2) + "\n"
                + string.Concat(Enumerable.Range(0, 5_000).Select(i => $"k{i}.x = ${{k{i + 1}.x}}\n")) + "k5000.x = 1",
        };

        // On a main thread's stack (8 MB on Linux and macOS) the fixed limit stops every shape.
        var e = StackThread.Run(() => Assert.Throws<HoconResolveException>(() => H.Parse(text)), stackSize: 8 << 20);
        AssertAt(e, "test.conf", line, column, "substitutions nested more than 1000 deep");

        // A 1 MB stack (Windows' main thread) may run out first: the same kind of positioned error.
        e = ResolveError(text);
        Assert.Matches(@"^test\.conf:\d+:\d+: substitutions (nested more than 1000 deep|and objects nested too deeply for this thread's stack)$", e.Message);
    }

    [Fact]
    public void A_thread_with_a_tiny_stack_gets_an_error_instead_of_a_crash()
    {
        var chain = string.Concat(Enumerable.Range(0, 900).Select(i => $"k{i} = ${{k{i + 1}}}\n")) + "k900 = 1";
        var e = StackThread.Run(() => Assert.Throws<HoconResolveException>(() => H.Parse(chain)), stackSize: 192 * 1024);
        Assert.Contains("nested too deeply for this thread's stack", e.Message, StringComparison.Ordinal);
        Assert.Equal("test.conf", e.Origin!.Source);
    }
}
