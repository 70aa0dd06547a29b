using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Objectives;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using System.Numerics.Tensors;

namespace Decentral.Nodes.Optimization;

/// <summary>The optimum of a strongly convex objective and how precisely it was reached.</summary>
public sealed record ExactSolution(double[] Model, double Value, double GradientNorm, int Iterations);

/// <summary>
/// Deterministic full-batch solvers giving the reference optimum that training results are compared
/// with: damped Newton for <see cref="LogisticL2"/> and the normal equations (Cholesky, with iterative
/// refinement) for <see cref="LeastSquares"/>. Dense d×d linear algebra: meant for d up to a few hundred.
/// </summary>
public static class ExactSolver
{
    /// <summary>Above this dimension the dense Hessian (d² doubles) is no longer "exact and cheap".</summary>
    public const int MaxDimension = 4096;

    private const int MaxNewtonIterations = 100;
    private const int MaxHalvings = 60;
    private const double Armijo = 1e-4;

    /// <summary>The gradient-norm tolerance the solvers aim for unless told otherwise.</summary>
    public const double DefaultTolerance = 1e-12;

    /// <summary>The optimum of <paramref name="objective"/>, when its model has one (<see cref="IHasExactOptimum"/>).</summary>
    public static ExactSolution Solve(IObjective objective, double tolerance = DefaultTolerance) => objective switch
    {
        null => throw new ArgumentNullException(nameof(objective)),
        ModelObjective { Model: IHasExactOptimum exact } m => exact.SolveExactly(m.Data, tolerance),
        ModelObjective m => throw new ArgumentException(
            $"No exact solver for {m.Model.Name} ({m.Model.GetType().Name}): only models with a unique optimum (logistic-l2 with λ > 0, least-squares) have one.", nameof(objective)),
        _ => throw new ArgumentException($"No exact solver for {objective.GetType().Name}.", nameof(objective)),
    };

    /// <summary>Newton's method with backtracking (Armijo) from x = 0; requires λ > 0.</summary>
    public static ExactSolution Solve(LogisticL2 model, Dataset data, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        CheckTolerance(tolerance);
        if (model.Lambda <= 0)
        {
            throw new ArgumentException("Without L2 regularisation (λ = 0) logistic regression may have no finite optimum.", nameof(model));
        }
        var objective = new ModelObjective(model, data);
        CheckDimension(objective.Dimension);
        var d = objective.Dimension;
        var x = new double[d];
        var g = new double[d];
        var trial = new double[d];
        var trialGradient = new double[d];
        var f = objective.Gradient(x, g);
        var gradientNorm = VectorMath.Norm(g);
        var iterations = 0;
        while (gradientNorm > tolerance && iterations < MaxNewtonIterations)
        {
            iterations++;
            var direction = LogisticHessian(model, data, x).Cholesky().Solve(Vector<double>.Build.Dense(g).Negate()).AsArray()
                ?? throw new InvalidOperationException("Expected a dense solution vector.");
            var slope = VectorMath.Dot(g, direction);
            var step = 1.0;
            var accepted = false;
            for (var h = 0; h < MaxHalvings && !accepted; h++, step /= 2)
            {
                TensorPrimitives.MultiplyAdd(direction, step, x, trial);
                var fTrial = objective.Gradient(trial, trialGradient);
                var trialNorm = VectorMath.Norm(trialGradient);
                // Near the optimum the decrease (~‖g‖²) is below the rounding of f, so Armijo cannot
                // see it; a full step that shrinks the gradient without raising f beyond rounding is
                // then the Newton step doing its job.
                var sufficient = fTrial <= f + Armijo * step * slope;
                var roundingLevel = step == 1 && trialNorm < gradientNorm && fTrial <= f + 1e-14 * (1 + Math.Abs(f));
                accepted = sufficient || roundingLevel;
                if (accepted)
                {
                    (x, trial) = (trial, x);
                    (g, trialGradient) = (trialGradient, g);
                    f = fTrial;
                    gradientNorm = trialNorm;
                }
            }
            if (!accepted)
            {
                break; // no representable progress left: the gradient norm reports what was achieved
            }
        }
        return new ExactSolution(x, f, gradientNorm, iterations);
    }

    /// <summary>Solves ((1/N) AᵀA + λI) x = (1/N) Aᵀb by Cholesky, then refines with the exact residual.</summary>
    public static ExactSolution Solve(LeastSquares model, Dataset data, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        CheckTolerance(tolerance);
        var objective = new ModelObjective(model, data);
        CheckDimension(objective.Dimension);
        var d = objective.Dimension;
        var gram = new double[d * d];
        var rhs = new double[d];
        var scale = 1.0 / data.Rows;
        for (var i = 0; i < data.Rows; i++)
        {
            AddOuterProduct(data, i, scale, gram, d);
            data.AddScaledRow(i, data.Label(i) * scale, rhs);
        }
        MirrorLower(gram, d);
        for (var j = 0; j < d; j++)
        {
            gram[j * d + j] += model.Lambda;
        }
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
        var singular = $"The normal equations of {data.Name} are singular (fewer independent rows than features?); add L2 regularisation (λ > 0).";
        try
        {
            cholesky = DenseMatrix.OfColumnMajor(d, d, gram).Cholesky();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(singular, e);
        }
        // A singular Gram matrix may still factor with a pivot that is rounding noise; its squared
        // ratio to the largest pivot estimates 1/κ, and beyond κ ≈ 1e13 no solution is meaningful.
        var pivots = cholesky.Factor.Diagonal();
        var ratio = pivots.Minimum() / pivots.Maximum();
        if (!(ratio * ratio > 1e-13))
        {
            throw new InvalidOperationException(singular);
        }
        var x = cholesky.Solve(Vector<double>.Build.Dense(rhs)).ToArray();
        var g = new double[d];
        var f = objective.Gradient(x, g);
        var gradientNorm = VectorMath.Norm(g);
        var iterations = 1;
        // Iterative refinement: the gradient is the exact residual of the normal equations.
        for (var k = 0; k < 5 && gradientNorm > tolerance; k++)
        {
            var correction = cholesky.Solve(Vector<double>.Build.Dense(g)).ToArray();
            var candidate = new double[d];
            TensorPrimitives.Subtract(x, correction, candidate);
            var candidateGradient = new double[d];
            var fCandidate = objective.Gradient(candidate, candidateGradient);
            var candidateNorm = VectorMath.Norm(candidateGradient);
            if (candidateNorm >= gradientNorm)
            {
                break;
            }
            (x, g, f, gradientNorm) = (candidate, candidateGradient, fCandidate, candidateNorm);
            iterations++;
        }
        return new ExactSolution(x, f, gradientNorm, iterations);
    }

    /// <summary>∇²f(x) = (1/N) Σ σ(mᵢ)σ(−mᵢ) aᵢaᵢᵀ + λI with mᵢ = bᵢaᵢᵀx.</summary>
    private static Matrix<double> LogisticHessian(LogisticL2 model, Dataset data, ReadOnlySpan<double> x)
    {
        var d = model.Dimension;
        var h = new double[d * d];
        var scale = 1.0 / data.Rows;
        for (var i = 0; i < data.Rows; i++)
        {
            var margin = data.Label(i) * data.Dot(i, x);
            var weight = StableMath.Sigmoid(margin) * StableMath.Sigmoid(-margin);
            AddOuterProduct(data, i, weight * scale, h, d);
        }
        MirrorLower(h, d);
        for (var j = 0; j < d; j++)
        {
            h[j * d + j] += model.Lambda;
        }
        return DenseMatrix.OfColumnMajor(d, d, h);
    }

    private static void AddOuterProduct(Dataset data, int row, double weight, double[] matrix, int d)
    {
        var indices = data.Indices(row);
        var values = data.Values(row);
        // Indices increase within a row, so q ≥ p fills only the lower triangle (column-major);
        // MirrorLower completes the symmetric matrix once all rows are in — half the work.
        for (var p = 0; p < indices.Length; p++)
        {
            var column = indices[p] * d;
            var wp = weight * values[p];
            for (var q = p; q < indices.Length; q++)
            {
                matrix[column + indices[q]] += wp * values[q];
            }
        }
    }

    private static void MirrorLower(double[] matrix, int d)
    {
        for (var column = 0; column < d; column++)
        {
            for (var row = column + 1; row < d; row++)
            {
                matrix[row * d + column] = matrix[column * d + row];
            }
        }
    }

    private static void CheckTolerance(double tolerance)
    {
        if (!(tolerance > 0 && double.IsFinite(tolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The gradient-norm tolerance must be positive.");
        }
    }

    private static void CheckDimension(int d)
    {
        if (d > MaxDimension)
        {
            throw new ArgumentException($"Dimension {d} exceeds {MaxDimension}: the dense exact solver is for small problems.", nameof(d));
        }
    }
}
