namespace Decentral.TestKit.Tests;

public sealed class AgreementAssertTests
{
    private static readonly double[][] Models = [[0, 0], [1, 2], [0.5, 1]];

    [Fact]
    public void Diameters_of_plain_arrays()
    {
        Assert.Equal(Math.Sqrt(5), AgreementAssert.DiameterL2(Models), 12);
        Assert.Equal(3, AgreementAssert.DiameterCw(Models), 12);
    }

    [Fact]
    public void Epsilon_agreement_on_plain_arrays_in_both_norms()
    {
        AgreementAssert.EpsilonAgreement(Models, 2.3);
        AgreementAssert.EpsilonAgreementCw(Models, 3);
        var e = Assert.Throws<TestKitAssertionException>(() => AgreementAssert.EpsilonAgreementCw(Models, 2.9));
        Assert.Equal("the models disagree: Δcw = 3 > ε = 2.9", e.Message);
        Assert.Throws<TestKitAssertionException>(() => AgreementAssert.EpsilonAgreement(Models, 2.2));
    }

    [Fact]
    public void Bad_models_are_named()
    {
        Assert.Contains("Vector 1 contains NaN", Assert.Throws<ArgumentException>(() => AgreementAssert.DiameterCw([[0.0], [double.NaN]])).Message, StringComparison.Ordinal);
        Assert.Contains("Vector 1 has dimension 1", Assert.Throws<ArgumentException>(() => AgreementAssert.DiameterL2([[0.0, 1.0], [2.0]])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AgreementAssert.DiameterL2([]));
    }

    [Fact]
    public void Default_specs_validate_their_shape()
    {
        var spec = ClusterSpecs.Default(3, 2, iterations: 10);
        Assert.Equal((3, 6, 10), (spec.Layout.ClusterCount, spec.Layout.N, spec.Protocol.Iterations));
        Assert.Equal(ClusterSpecs.DefaultFeatures, spec.Training.Dimension);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterSpecs.Default(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterSpecs.Default(3, 3, iterations: 0));
    }
}
