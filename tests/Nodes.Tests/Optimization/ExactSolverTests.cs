using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using MathNet.Numerics.LinearAlgebra;
using System.Numerics.Tensors;

using Decentral.Nodes.Tests.Objectives;

namespace Decentral.Nodes.Tests.Optimization;

public sealed class ExactSolverTests
{
    [Fact]
    public void Newton_reaches_a_stationary_point_of_l2_logistic_regression_on_breast_cancer()
    {
        var objective = Glms.LogisticL2(LibSvmReader.Read(DataFiles.Shared("breast_cancer_scale.libsvm")), 0.01);

        var solution = ExactSolver.Solve(objective);

        var g = new double[objective.Dimension];
        var value = objective.Gradient(solution.Model, g);
        Assert.True(TensorPrimitives.Norm(g) < 1e-9, $"‖∇f‖ = {TensorPrimitives.Norm(g)}");
        Assert.Equal(value, solution.Value, 14);
        Assert.InRange(solution.Iterations, 1, 30);
    }

    [Fact]
    public void Newton_optimum_agrees_with_gradient_descent_from_another_start()
    {
        // Independent method: plain gradient descent with step 1/L from x = (1, …, 1). For a
        // λ-strongly convex, L-smooth f it contracts ‖x − x*‖ by (1 − λ/L) per step.
        var objective = Glms.LogisticL2(LibSvmReader.Read(DataFiles.Shared("breast_cancer_scale.libsvm")), 0.05);
        var solution = ExactSolver.Solve(objective);

        var x = Enumerable.Repeat(1.0, objective.Dimension).ToArray();
        var g = new double[objective.Dimension];
        var step = 1 / Glms.Smoothness(objective);
        objective.Gradient(x, g);
        for (var k = 0; k < 20_000 && TensorPrimitives.Norm(g) > 1e-11; k++)
        {
            TensorPrimitives.MultiplyAdd(g, -step, x, x);
            objective.Gradient(x, g);
        }

        Assert.True(TensorPrimitives.Distance(x, solution.Model) < 1e-8,
            $"‖x_GD − x_Newton‖ = {TensorPrimitives.Distance(x, solution.Model)}");
        Assert.Equal(objective.Value(x), solution.Value, 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Least_squares_agrees_with_a_qr_solve(double lambda)
    {
        var problem = SyntheticData.LeastSquares(300, 20, seed: 7, noise: 1e-3);
        var objective = Glms.LeastSquares(problem.Data, lambda);

        var solution = ExactSolver.Solve(objective);

        // QR of the stacked system [A; √(Nλ) I] x ≈ [b; 0], which minimises the same objective (×N).
        var n = problem.Data.Rows;
        var d = problem.Data.Dimension;
        var a = Matrix<double>.Build.Dense(n + d, d);
        var b = Vector<double>.Build.Dense(n + d);
        for (var i = 0; i < n; i++)
        {
            var indices = problem.Data.Indices(i);
            var values = problem.Data.Values(i);
            for (var k = 0; k < indices.Length; k++)
            {
                a[i, indices[k]] = values[k];
            }
            b[i] = problem.Data.Label(i);
        }
        for (var j = 0; j < d; j++)
        {
            a[n + j, j] = Math.Sqrt(n * lambda);
        }
        var qr = a.QR().Solve(b);

        var g = new double[d];
        objective.Gradient(solution.Model, g);
        Assert.True(TensorPrimitives.Norm(g) < 1e-9, $"‖∇f‖ = {TensorPrimitives.Norm(g)}");
        Assert.True(solution.GradientNorm < 1e-9);
        Assert.True(TensorPrimitives.Distance(qr.ToArray(), solution.Model) < 1e-7,
            $"‖x_QR − x_Cholesky‖ = {TensorPrimitives.Distance(qr.ToArray(), solution.Model)}");
        if (lambda == 0)
        {
            // With tiny noise the optimum sits next to the planted model.
            Assert.True(TensorPrimitives.Distance(problem.TrueModel.ToArray(), solution.Model) < 0.1);
        }
    }

    [Fact]
    public void Singular_least_squares_is_a_clear_error()
    {
        var data = Dataset.FromDense([[1.0, 1.0], [2.0, 2.0]], [1.0, 2.0]);
        var e = Assert.Throws<InvalidOperationException>(() => ExactSolver.Solve(Glms.LeastSquares(data)));
        Assert.Contains("singular", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objectives_without_a_unique_optimum_are_refused()
    {
        var data = Dataset.FromDense([[1.0], [-1.0]], [1.0, -1.0]);
        Assert.Throws<ArgumentException>(() => ExactSolver.Solve(Glms.LogisticNonConvex(data, 0.1)));
        Assert.Throws<ArgumentException>(() => ExactSolver.Solve(Glms.LogisticL2(data, 0)));
    }

    [Fact]
    public void Planted_logistic_model_is_recovered_from_many_rows()
    {
        var problem = SyntheticData.Logistic(20_000, 5, seed: 11);
        var solution = ExactSolver.Solve(Glms.LogisticL2(problem.Data, 1e-6));

        // Maximum likelihood is consistent: the error shrinks like 1/√N (≈ 0.01–0.05 here).
        Assert.True(TensorPrimitives.Distance(problem.TrueModel.ToArray(), solution.Model) < 0.25,
            $"‖x* − x_true‖ = {TensorPrimitives.Distance(problem.TrueModel.ToArray(), solution.Model)}");
    }
}
