using Decentral.Configuration;

namespace Decentral.Host.Tests.Configuration;

public sealed class KeySuggestionTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("rounds", "rounds", 0)]
    [InlineData("ab", "ba", 1)] // a transposition is one edit
    [InlineData("iterations", "iteration", 1)]
    public void Distance_counts_edits(string a, string b, int expected)
    {
        Assert.Equal(expected, KeySuggestions.Distance(a, b));
        Assert.Equal(expected, KeySuggestions.Distance(b, a));
    }

    [Theory]
    [InlineData("decentral.sgd.iteratoins", "decentral.sgd.iterations")]
    [InlineData("decentral.agreement.iterations", "decentral.sgd.iterations")]
    [InlineData("decentral.compute-time.modle", "decentral.compute-time.model")]
    [InlineData("decentral.checkpoint.stroe", "decentral.checkpoint.store")]
    public void Closest_path_prefers_the_right_name_even_in_the_wrong_section(string unknown, string expected)
    {
        var known = ConfigurationLoader.Reference.Entries().Select(e => e.Key).ToList();
        Assert.Equal(expected, KeySuggestions.ClosestPath(unknown, known));
    }

    [Fact]
    public void Nothing_is_suggested_for_an_unrelated_key()
    {
        var known = ConfigurationLoader.Reference.Entries().Select(e => e.Key).ToList();
        Assert.Null(KeySuggestions.ClosestPath("decentral.banana-smoothie", known));
    }
}
