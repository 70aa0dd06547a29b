using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class CsvReaderTests
{
    private static Dataset Read(string text, CsvOptions? options = null) =>
        CsvReader.Read(new StringReader(text), "inline.csv", options);

    [Fact]
    public void Header_is_detected_and_the_last_column_is_the_label_by_default()
    {
        var data = Read("a,b,label\r\n0.5,0,1\r\n\r\n-2,1e-1,-1");

        Assert.Equal(2, data.Rows);
        Assert.Equal(2, data.Dimension);
        Assert.Equal(new[] { 1.0, -1.0 }, data.Labels.ToArray());
        Assert.Equal(new[] { 0 }, data.Indices(0).ToArray());   // zeros are not stored
        Assert.Equal(new[] { 0.5 }, data.Values(0).ToArray());
        Assert.Equal(new[] { -2.0, 0.1 }, data.Values(1).ToArray());
        Assert.Equal("inline.csv", data.Name);
    }

    [Fact]
    public void A_file_of_numbers_only_has_no_header()
    {
        var data = Read("1,2,0\n3,4,1\n");
        Assert.Equal(2, data.Rows);
        Assert.Equal(new[] { -1.0, 1.0 }, data.Labels.ToArray());
    }

    [Fact]
    public void The_label_column_can_be_named_and_features_keep_file_order_around_it()
    {
        var data = Read("\"x1\",\"y\",\"x2\"\n1,3,2\n4,1,5\n7,2,8\n", new CsvOptions { LabelColumnName = "y", Labels = LabelMode.MultiClass });

        Assert.Equal(2, data.Dimension);
        Assert.Equal(new[] { 1.0, 2.0 }, data.Values(0).ToArray());
        Assert.Equal(new[] { 7.0, 8.0 }, data.Values(2).ToArray());
        Assert.Equal(new[] { 2.0, 0.0, 1.0 }, data.Labels.ToArray());
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, data.Classes!.Labels);
    }

    [Fact]
    public void The_label_column_can_be_given_by_index_with_raw_targets()
    {
        var data = Read("0.25,1,2\n-1.5,3,4\n", new CsvOptions { LabelColumnIndex = 0, Labels = LabelMode.Raw });

        Assert.Equal(new[] { 0.25, -1.5 }, data.Labels.ToArray());
        Assert.Equal(new[] { 3.0, 4.0 }, data.Values(1).ToArray());
    }

    [Fact]
    public void A_declared_header_is_skipped_even_when_it_is_numeric()
    {
        var data = Read("1,2,3\n5,6,1\n7,8,-1\n", new CsvOptions { HasHeader = true });
        Assert.Equal(2, data.Rows);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,1\n3,4\n", 3, null, "2 fields, but the first line has 3")]
    [InlineData("1,2,1\n3,4,5,1\n", 2, null, "4 fields, but the first line has 3")]
    [InlineData("a,b,y\n1,2,1\n3,x,-1\n", 3, "x", "not a number in column 1 ('b')")]
    [InlineData("1,2,1\n3,,-1\n", 2, "", "empty field in column 1")]
    [InlineData("1,2,1\n3,NaN,-1\n", 2, "NaN", "NaN or infinite value in column 1")]
    [InlineData("1,2,1\n3,1e999,-1\n", 2, "1e999", "NaN or infinite value in column 1")]
    [InlineData("1,2,1\n3,4,-1\n5,6,2\n", 3, "2", "third distinct label")]
    [InlineData("1,2,1\n3,4,1,5\n", 2, null, "4 fields")]
    public void Malformed_input_names_file_line_and_field(string text, int line, string? token, string problem)
    {
        var e = Assert.Throws<CsvFormatException>(() => Read(text));

        Assert.Equal(line, e.Line);
        Assert.Equal(token, e.Token);
        Assert.StartsWith($"inline.csv:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_outside_the_declared_classes_is_an_error_on_its_line()
    {
        var options = new CsvOptions { Labels = LabelMode.MultiClass, Classes = [0, 1, 2] };
        var e = Assert.Throws<CsvFormatException>(() => Read("f,label\n1,0\n2,2\n3,3\n", options));

        Assert.Equal(4, e.Line);
        Assert.Contains("label 3 is not one of the declared classes", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n \n")]
    [InlineData("a,b,label\n\n")]
    public void An_empty_file_is_an_error(string text)
    {
        var e = Assert.Throws<CsvFormatException>(() => Read(text));
        Assert.StartsWith("inline.csv:0: the data set is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_column_has_no_features()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read("1\n-1\n"));
        Assert.Contains("at least one feature", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_label_column_name_lists_the_header()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read("a,b\n1,2\n", new CsvOptions { LabelColumnName = "class" }));
        Assert.Equal(1, e.Line);
        Assert.Contains("no column is named 'class' (the header has 'a', 'b')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_column_name_without_a_header_line_is_an_error()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read("1,2\n3,4\n", new CsvOptions { LabelColumnName = "y" }));
        Assert.Contains("not a header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_column_index_beyond_the_columns_is_an_error()
    {
        var e = Assert.Throws<CsvFormatException>(() => Read("1,2\n3,4\n", new CsvOptions { LabelColumnIndex = 2 }));
        Assert.Contains("label column index 2 is outside the 2 columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contradictory_options_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => Read("1,2\n", new CsvOptions { LabelColumnName = "y", LabelColumnIndex = 0 }));
        Assert.Throws<ArgumentException>(() => Read("1,2\n", new CsvOptions { LabelColumnName = "y", HasHeader = false }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Read("1,2\n", new CsvOptions { LabelColumnIndex = -1 }));
        Assert.Throws<ArgumentException>(() => Read("1,2\n", new CsvOptions { Separator = '.' }));
    }

    [Fact]
    public void A_file_is_named_by_its_path_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "x,y\n1,1\n2\n");
        try
        {
            var e = Assert.Throws<CsvFormatException>(() => CsvReader.Read(path));
            Assert.StartsWith($"{path}:3: 1 fields", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Semicolons_can_separate_fields()
    {
        var data = Read("1.5;2;1\n3;4;-1\n", new CsvOptions { Separator = ';' });
        Assert.Equal(new[] { 1.5, 2.0 }, data.Values(0).ToArray());
    }
}
