using Decentral.Nodes.Data;

namespace Decentral.Nodes.Tests.Data;

public sealed class LibSvmReaderRealFileTests
{
    // Shapes from shared/data/README.md (an independent source: the files' documentation).
    [Theory]
    [InlineData("breast_cancer_scale.libsvm", 569, 30)]
    [InlineData("digits_even_odd_scale.libsvm", 1797, 64)]
    [InlineData("a9a.libsvm", 32561, 123)]
    [InlineData("w7a.libsvm", 25057, 300)]
    [InlineData("w8a.libsvm", 49749, 300)]
    [InlineData("phishing.libsvm", 11055, 68)]
    public void Read_real_file_has_documented_shape_and_plus_minus_one_labels(string file, int rows, int maxDimension)
    {
        var data = LibSvmReader.Read(DataFiles.Shared(file));

        Assert.Equal(rows, data.Rows);
        Assert.InRange(data.Dimension, 1, maxDimension);
        Assert.Equal(file, data.Name);
        var positives = 0;
        foreach (var label in data.Labels)
        {
            Assert.True(label is 1.0 or -1.0, $"label {label}");
            positives += label > 0 ? 1 : 0;
        }
        Assert.InRange(positives, 1, rows - 1);
    }

    [Fact]
    public void Phishing_zero_one_labels_map_one_to_plus_one()
    {
        var path = DataFiles.Shared("phishing.libsvm");
        var data = LibSvmReader.Read(path);
        var raw = LibSvmReader.Read(path, new LibSvmOptions { Labels = LabelMode.Raw });

        for (var i = 0; i < data.Rows; i++)
        {
            Assert.True(raw.Label(i) is 0.0 or 1.0);
            Assert.Equal(raw.Label(i) == 1.0 ? 1.0 : -1.0, data.Label(i));
        }
    }

    [Fact]
    public void A9a_without_final_newline_keeps_its_last_row()
    {
        var path = DataFiles.Shared("a9a.libsvm");
        var text = File.ReadAllText(path);
        Assert.False(text.EndsWith('\n'), "the fixture is documented to lack a final newline");
        var lastLine = text[(text.LastIndexOf('\n') + 1)..];

        var data = LibSvmReader.Read(path);
        var last = LibSvmReader.Read(new StringReader(lastLine), "last", new LibSvmOptions { Dimension = data.Dimension, Labels = LabelMode.Raw });

        Assert.Equal(last.Indices(0).ToArray(), data.Indices(data.Rows - 1).ToArray());
        Assert.Equal(last.Values(0).ToArray(), data.Values(data.Rows - 1).ToArray());
    }

    [Fact]
    public void Repository_copy_of_breast_cancer_matches_the_shared_one()
    {
        var shared = LibSvmReader.Read(DataFiles.Shared("breast_cancer_scale.libsvm"));
        var local = LibSvmReader.Read(DataFiles.Repository("breast_cancer_scale.libsvm"));

        Assert.Equal(shared.Rows, local.Rows);
        Assert.Equal(shared.Dimension, local.Dimension);
        Assert.Equal(shared.NonZeros, local.NonZeros);
        for (var i = 0; i < shared.Rows; i++)
        {
            Assert.Equal(shared.Label(i), local.Label(i));
            Assert.Equal(shared.Values(i).ToArray(), local.Values(i).ToArray());
        }
    }

    [Fact]
    public void Breast_cancer_values_agree_with_an_independent_parse()
    {
        // Independent parse with string.Split to check indices and values of every row.
        var path = DataFiles.Shared("breast_cancer_scale.libsvm");
        var data = LibSvmReader.Read(path);
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        Assert.Equal(lines.Length, data.Rows);
        for (var i = 0; i < lines.Length; i++)
        {
            var tokens = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var pairs = tokens.Skip(1).Select(t => t.Split(':')).ToArray();
            Assert.Equal(pairs.Select(p => int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture) - 1), data.Indices(i).ToArray());
            Assert.Equal(pairs.Select(p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)), data.Values(i).ToArray());
        }
    }
}
