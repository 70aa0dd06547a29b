using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class LibSvmReaderInlineTests
{
    private static Dataset Read(string text, LibSvmOptions? options = null) =>
        LibSvmReader.Read(new StringReader(text), "inline.libsvm", options);

    [Theory]
    [InlineData("+1 1:0.5\nabc 1:1\n", 2, "abc", "bad label")]
    [InlineData("1 1:0.5\nnan 2:1\n", 2, "nan", "bad label")]
    [InlineData("1 1:0.5\n-1 2:1 x:3\n", 2, "x:3", "bad index")]
    [InlineData("1 1:0.5\n-1 -2:1\n", 2, "-2:1", "bad index")]
    [InlineData("1 0:0.5\n", 1, "0:0.5", "index 0")]
    [InlineData("1 1:1\n\n-1 3:1 2:1\n", 3, "2:1", "does not increase")]
    [InlineData("1 1:1\n-1 2:1 2:1\n", 2, "2:1", "does not increase")]
    [InlineData("1 1:1\n-1 2:abc\n", 2, "2:abc", "bad value")]
    [InlineData("1 1:1\n-1 2:\n", 2, "2:", "bad value")]
    [InlineData("1 1:1\n# comment\n-1 2:NaN\n", 3, "2:NaN", "NaN or infinite")]
    [InlineData("1 1:1\n-1 2:Infinity\n", 2, "2:Infinity", "NaN or infinite")]
    [InlineData("1 1:1\n-1 2:1e400\n", 2, "2:1e400", "NaN or infinite")]
    [InlineData("1 1:1\n-1 2 3\n", 2, "2", "missing ':'")]
    [InlineData("1 1:1\n-1 :3\n", 2, ":3", "bad index")]
    [InlineData("1 1:1\n-1 2:1\n2 1:1\n", 3, "2", "third distinct label")]
    public void Malformed_input_names_file_line_and_token(string text, int line, string token, string problem)
    {
        var e = Assert.Throws<LibSvmFormatException>(() => Read(text));

        Assert.Equal(line, e.Line);
        Assert.Equal(token, e.Token);
        Assert.StartsWith($"inline.libsvm:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{token}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_above_configured_dimension_is_an_error_on_its_line()
    {
        var e = Assert.Throws<LibSvmFormatException>(() => Read("1 1:1\n-1 5:1\n", new LibSvmOptions { Dimension = 4 }));
        Assert.Equal(2, e.Line);
        Assert.Contains("exceeds the configured dimension 4", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n# only a comment\n")]
    public void Empty_data_set_is_an_error(string text)
    {
        var e = Assert.Throws<LibSvmFormatException>(() => Read(text));
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("inline.libsvm:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_in_a_file_names_the_file_and_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.libsvm");
        File.WriteAllText(path, "+1 1:1 2:0.5\r\n-1 1:1 2:0.5 2:3\r\n");
        try
        {
            var e = Assert.Throws<LibSvmFormatException>(() => LibSvmReader.Read(path));
            Assert.StartsWith($"{path}:2: index 2 does not increase (previous index 2) (token '2:3')", e.Message, StringComparison.Ordinal);
            Assert.Equal(path, e.SourceName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_is_reported_by_the_file_system()
    {
        Assert.Throws<FileNotFoundException>(() => LibSvmReader.Read(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.libsvm")));
    }

    [Fact]
    public void Tolerates_crlf_blank_lines_comments_featureless_rows_and_no_final_newline()
    {
        var text = "# header comment\r\n+1 1:0.5 3:-2 # trailing comment\r\n\r\n-1\r\n\t+1\t2:1.5e-1  \r\n-1 1:1";

        var data = Read(text);

        Assert.Equal(4, data.Rows);
        Assert.Equal(3, data.Dimension);
        Assert.Equal(new[] { 1.0, -1.0, 1.0, -1.0 }, data.Labels.ToArray());
        Assert.Equal(new[] { 0, 2 }, data.Indices(0).ToArray());
        Assert.Equal(new[] { 0.5, -2.0 }, data.Values(0).ToArray());
        Assert.Equal(0, data.Indices(1).Length);
        Assert.Equal(new[] { 1 }, data.Indices(2).ToArray());
        Assert.Equal(new[] { 0.15 }, data.Values(2).ToArray());
        Assert.Equal(new[] { 0 }, data.Indices(3).ToArray());
    }

    [Theory]
    [InlineData("0", "1", -1.0, 1.0)]
    [InlineData("1", "2", -1.0, 1.0)]
    [InlineData("5", "-3", 1.0, -1.0)]
    [InlineData("-1", "+1", -1.0, 1.0)]
    public void Two_distinct_labels_map_larger_to_plus_one(string first, string second, double firstMapped, double secondMapped)
    {
        var data = Read($"{first} 1:1\n{second} 2:1\n{first} 1:2\n");
        Assert.Equal(new[] { firstMapped, secondMapped, firstMapped }, data.Labels.ToArray());
    }

    [Fact]
    public void Raw_labels_keep_regression_targets_and_allow_many_values()
    {
        var data = Read("0.5 1:1\n-2.25 2:1\n3 1:2\n", new LibSvmOptions { Labels = LabelMode.Raw });
        Assert.Equal(new[] { 0.5, -2.25, 3.0 }, data.Labels.ToArray());
    }

    [Fact]
    public void Single_label_is_accepted_only_when_it_is_plus_or_minus_one()
    {
        Assert.Equal(new[] { -1.0, -1.0 }, Read("-1 1:1\n-1 2:1\n").Labels.ToArray());
        var e = Assert.Throws<LibSvmFormatException>(() => Read("0 1:1\n0 2:1\n"));
        Assert.Contains("cannot tell which class", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_dimension_is_kept_when_last_features_never_occur()
    {
        Assert.Equal(10, Read("1 1:1\n-1 2:1\n", new LibSvmOptions { Dimension = 10 }).Dimension);
    }

    [Fact]
    public void No_feature_anywhere_without_configured_dimension_is_an_error()
    {
        var e = Assert.Throws<LibSvmFormatException>(() => Read("1\n-1\n"));
        Assert.Contains("dimension is unknown", e.Message, StringComparison.Ordinal);
    }
}
