using Decentral.Nodes.Data;
using Decentral.Nodes.Models;

namespace Decentral.Nodes.Objectives;

/// <summary>
/// The objective a model defines over a data set: f(x) is <see cref="IModel.Loss"/> over every row,
/// ∇f(x) its gradient — what the asynchronous SGD family's workers and server, the exact solver and
/// the runs' loss and ‖∇f‖² reports evaluate. Any <see cref="IModel"/> works; nothing here knows the
/// built-in ones. Thread-safe: calls into the model are serialised, since a model instance is never
/// called from two threads at once.
/// </summary>
public sealed class ModelObjective : IObjective
{
    private readonly object gate = new();
    private int[]? everyRow;

    public ModelObjective(IModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Model = model;
        Data = data;
        Dimension = model.Dimension;
    }

    public IModel Model { get; }

    public Dataset Data { get; }

    public int Dimension { get; }

    public int Rows => Data.Rows;

    /// <summary>L from <see cref="ISmoothModel"/>; null when the model cannot bound it.</summary>
    public double? SmoothnessEstimate => Model is ISmoothModel smooth ? smooth.SmoothnessEstimate(Data) : null;

    public double Value(ReadOnlySpan<double> x)
    {
        lock (gate)
        {
            return Model.Loss(x, Data, EveryRow());
        }
    }

    public double Gradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        lock (gate)
        {
            return Model.LossAndGradient(x, Data, EveryRow(), gradient);
        }
    }

    public double MiniBatchValue(ReadOnlySpan<double> x, ReadOnlySpan<int> rows)
    {
        lock (gate)
        {
            return Model.Loss(x, Data, rows);
        }
    }

    public double MiniBatchGradient(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient)
    {
        lock (gate)
        {
            return Model.LossAndGradient(x, Data, rows, gradient);
        }
    }

    /// <summary>Loss (and accuracy, for a classifier) over every row.</summary>
    public ModelEvaluation Evaluate(ReadOnlySpan<double> x)
    {
        lock (gate)
        {
            return Model.Evaluate(x, Data);
        }
    }

    public override string ToString() => $"{Model.Name} on {Data.Name}";

    // The full batch 0 … N−1: the built-in linear models add its rows in the order of their own
    // full-data pass, so f and ∇f are bit for bit what they were before models took batches.
    private int[] EveryRow()
    {
        if (everyRow is null)
        {
            var rows = new int[Data.Rows];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = i;
            }

            everyRow = rows;
        }

        return everyRow;
    }
}
