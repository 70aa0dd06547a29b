using Decentral.Nodes.Data;
using Decentral.Nodes.Optimization;

namespace Decentral.Nodes.Models;

/// <summary>
/// Optional beside <see cref="IModel"/>: a model whose objective over a data set has a unique optimum
/// that a deterministic solver finds (strongly convex, or least squares of full rank). Reports of
/// f − f* (the <c>suboptimality</c> metric, the spread experiment, tests) ask for this interface.
/// </summary>
public interface IHasExactOptimum
{
    /// <summary>False when this instance has no unique optimum (e.g. logistic regression with λ = 0).</summary>
    bool HasExactOptimum { get; }

    /// <summary>The optimum over <paramref name="data"/> to a gradient norm of <paramref name="tolerance"/>.</summary>
    ExactSolution SolveExactly(Dataset data, double tolerance = ExactSolver.DefaultTolerance);
}
