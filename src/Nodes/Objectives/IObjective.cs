namespace Decentral.Nodes.Objectives;

/// <summary>
/// A finite-sum objective f(x) = (1/N) Σᵢ ℓ(aᵢ, bᵢ; x) + R(x) over a data set (or a shard of one):
/// a model and the examples it is evaluated on (<see cref="ModelObjective"/>). Mini-batch members
/// average the loss over the given rows and add the full regulariser, so their expectation over a
/// uniform batch is f and ∇f.
/// </summary>
public interface IObjective
{
    /// <summary>Length of the model vector.</summary>
    int Dimension { get; }

    /// <summary>Number of data rows N.</summary>
    int Rows { get; }

    /// <summary>f(x).</summary>
    double Value(ReadOnlySpan<double> x);

    /// <summary>Writes ∇f(x) into <paramref name="gradient"/> (overwritten) and returns f(x).</summary>
    double Gradient(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>(1/|B|) Σ_{i∈B} ℓᵢ(x) + R(x) for the rows B (indices into this objective's data).</summary>
    double MiniBatchValue(ReadOnlySpan<double> x, ReadOnlySpan<int> rows);

    /// <summary>Writes the gradient of <see cref="MiniBatchValue"/> into <paramref name="gradient"/> and returns the value.</summary>
    double MiniBatchGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient);
}
