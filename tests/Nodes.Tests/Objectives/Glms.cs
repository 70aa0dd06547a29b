using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;

namespace Decentral.Nodes.Tests.Objectives;

/// <summary>The built-in linear models as objectives over a data set (what the tests evaluate), made through their public factories.</summary>
internal static class Glms
{
    public static ModelObjective LogisticNonConvex(Dataset data, double lambda) => On(LinearModels.LogisticNonConvex(lambda), data);

    public static ModelObjective LogisticL2(Dataset data, double lambda) => On(LinearModels.LogisticL2(lambda), data);

    public static ModelObjective LeastSquares(Dataset data, double lambda = 0) => On(LinearModels.LeastSquares(lambda), data);

    public static double Smoothness(IObjective objective) => ((ModelObjective)objective).SmoothnessEstimate!.Value;

    private static ModelObjective On(Decentral.Nodes.Models.ModelFactory factory, Dataset data) => new(factory(data), data);
}
