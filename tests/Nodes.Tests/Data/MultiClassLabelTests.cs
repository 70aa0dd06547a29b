using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class MultiClassLabelTests
{
    private static readonly LibSvmOptions MultiClass = new() { Labels = LabelMode.MultiClass };

    private static Dataset Read(string text, LibSvmOptions? options = null) =>
        LibSvmReader.Read(new StringReader(text), "inline.libsvm", options ?? MultiClass);

    [Fact]
    public void Labels_zero_to_k_minus_one_are_their_own_class_indices()
    {
        var data = Read("2 1:1\n0 2:1\n1 1:3\n2 2:2\n");

        Assert.Equal(new[] { 2.0, 0.0, 1.0, 2.0 }, data.Labels.ToArray());
        Assert.NotNull(data.Classes);
        Assert.Equal(3, data.Classes.Count);
        Assert.True(data.Classes.IsIdentity);
    }

    [Fact]
    public void Any_distinct_labels_map_to_class_indices_in_increasing_order()
    {
        var data = Read("7 1:1\n-3 2:1\n2.5 1:3\n7 2:2\n-3 1:1\n");

        Assert.Equal(new[] { 2.0, 0.0, 1.0, 2.0, 0.0 }, data.Labels.ToArray());
        var classes = data.Classes!;
        Assert.Equal(new[] { -3.0, 2.5, 7.0 }, classes.Labels);
        Assert.False(classes.IsIdentity);
        Assert.Equal(7.0, classes.LabelOf(2));
        Assert.Equal(1, classes.IndexOf(2.5));
        Assert.Equal(-1, classes.IndexOf(3.0));
    }

    [Fact]
    public void Declared_classes_hold_for_a_file_that_lacks_some_of_them()
    {
        var data = Read("3 1:1\n1 2:1\n", MultiClass with { Classes = [0, 1, 2, 3, 4] });

        Assert.Equal(new[] { 3.0, 1.0 }, data.Labels.ToArray());
        Assert.Equal(5, data.Classes!.Count);
    }

    [Fact]
    public void A_label_outside_the_declared_classes_is_an_error_on_its_line()
    {
        var e = Assert.Throws<LibSvmFormatException>(() => Read("1 1:1\n\n5 2:1\n", MultiClass with { Classes = [0, 1, 2] }));

        Assert.Equal(3, e.Line);
        Assert.Equal("5", e.Token);
        Assert.StartsWith("inline.libsvm:3: label 5 is not one of the declared classes (3 classes (0, 1, 2))", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_label_without_declared_classes_is_an_error()
    {
        var e = Assert.Throws<LibSvmFormatException>(() => Read("4 1:1\n4 2:1\n"));
        Assert.Contains("at least two classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declaring_classes_outside_multi_class_mode_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Read("1 1:1\n", new LibSvmOptions { Classes = [0, 1] }));
        Assert.Contains("LabelMode.MultiClass", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.0 }, "given twice")]
    [InlineData(new[] { 1.0 }, "at least two classes")]
    [InlineData(new[] { 0.0, double.NaN }, "not finite")]
    public void Bad_declared_classes_are_argument_errors(double[] classes, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassMap(classes));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_mode_still_rejects_a_third_label_and_points_to_multi_class()
    {
        var e = Assert.Throws<LibSvmFormatException>(() => Read("0 1:1\n1 1:1\n2 1:1\n", new LibSvmOptions()));
        Assert.Equal(3, e.Line);
        Assert.Contains("LabelMode.MultiClass", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classes_survive_slices_shards_and_selection()
    {
        var data = Read("0 1:1\n1 1:2\n2 1:3\n0 1:4\n");

        Assert.Same(data.Classes, data.Shard(1, 2).Classes);
        Assert.Same(data.Classes, data.Slice(1, 2).Classes);
        Assert.Same(data.Classes, data.Select([3, 0], "picked").Classes);
    }

    [Fact]
    public void A_data_set_with_classes_rejects_a_label_that_is_not_a_class_index()
    {
        var classes = new ClassMap([0, 1, 2]);
        var e = Assert.Throws<ArgumentException>(() => Dataset.FromDense([[1.0], [2.0]], [0, 2.5], classes: classes));
        Assert.Contains("row 1 (2.5) is not a class index in [0, 3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digits10_reads_as_1797_rows_64_features_10_classes()
    {
        var data = LibSvmReader.Read(DataFiles.Repository("digits10_scale.libsvm"), MultiClass);

        Assert.Equal(1797, data.Rows);
        Assert.Equal(64, data.Dimension);
        Assert.Equal(10, data.Classes!.Count);
        Assert.True(data.Classes.IsIdentity);
        var perClass = new int[10];
        foreach (var label in data.Labels)
        {
            perClass[(int)label]++;
        }
        Assert.All(perClass, n => Assert.InRange(n, 174, 183)); // the counts data/README.md gives
    }
}
