using System.Globalization;
using Decentral.Nodes.Data;

namespace Decentral.Nodes.Models;

/// <summary>
/// One node's model instance behind the checks of its boundary with the protocol: every call that can
/// throw is caught, every value it writes is checked finite, and the gradient buffer is filled with NaN
/// before the call so coordinates the model never wrote show up. Any breach is a
/// <see cref="ModelFailureException"/> naming the model, the node and the iteration. The checks cost
/// O(d) per gradient, next to the model's own O(d·batch) at least.
/// </summary>
public sealed class ModelGuard
{
    public ModelGuard(IModel model, string node)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        Model = model;
        Node = node;
        try
        {
            Dimension = model.Dimension;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Fail(null, $"Dimension threw {e.GetType().Name}: {e.Message}", e);
        }
        if (Dimension < 1)
        {
            throw Fail(null, $"its Dimension is {Dimension}; a model needs at least one parameter");
        }
    }

    public IModel Model { get; }

    public string Node { get; }

    /// <summary>The dimension the model declared when the node started; it must not change.</summary>
    public int Dimension { get; }

    /// <summary>x₁ for <paramref name="seed"/>, checked finite.</summary>
    public double[] InitialParameters(ulong seed)
    {
        var x = new double[Dimension];
        x.AsSpan().Fill(double.NaN);
        try
        {
            Model.InitializeParameters(seed, x);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Fail(null, $"InitializeParameters threw {e.GetType().Name}: {e.Message}", e);
        }
        if (Unfinished(x) is { } problem)
        {
            throw Fail(null, "the initial parameters " + problem);
        }
        return x;
    }

    /// <summary>Checks that this instance starts where <paramref name="reference"/> (the run's x₁) does.</summary>
    public void CheckSameStart(ReadOnlySpan<double> own, ReadOnlySpan<double> reference)
    {
        if (own.Length != reference.Length)
        {
            throw Fail(null, $"it has {own.Length} parameters, the run's model {reference.Length}");
        }
        for (var j = 0; j < own.Length; j++)
        {
            if (own[j] != reference[j])
            {
                throw Fail(null, string.Create(CultureInfo.InvariantCulture,
                    $"its initial parameters differ from the run's x₁ at coordinate {j} ({own[j]:R} vs {reference[j]:R}); InitializeParameters must depend on the seed alone, so every node starts from the same model"));
            }
        }
    }

    /// <summary>The model's loss and gradient of iteration <paramref name="iteration"/>'s batch, checked.</summary>
    public double LossAndGradient(int iteration, ReadOnlySpan<double> parameters, Dataset examples, ReadOnlySpan<int> batch, Span<double> gradient)
    {
        gradient.Fill(double.NaN);
        int now;
        double loss;
        try
        {
            // Before and after: a model that resizes itself during the call is caught at that call.
            now = Model.Dimension;
            loss = now == Dimension ? Model.LossAndGradient(parameters, examples, batch, gradient) : double.NaN;
            now = now == Dimension ? Model.Dimension : now;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Fail(iteration, $"{e.GetType().Name} thrown: {e.Message}", e);
        }
        if (now != Dimension)
        {
            throw Fail(iteration, $"its Dimension changed from {Dimension} to {now}");
        }
        if (Unfinished(gradient) is { } problem)
        {
            throw Fail(iteration, "the gradient " + problem);
        }
        if (!double.IsFinite(loss))
        {
            throw Fail(iteration, string.Create(CultureInfo.InvariantCulture, $"the loss is {loss}"));
        }
        return loss;
    }

    /// <summary>A description of the first non-finite coordinate ("wrote only the first k of d" when the NaN fill was never overwritten), or null.</summary>
    private static string? Unfinished(ReadOnlySpan<double> values)
    {
        var first = -1;
        for (var j = 0; j < values.Length; j++)
        {
            if (!double.IsFinite(values[j]))
            {
                first = j;
                break;
            }
        }
        if (first < 0)
        {
            return null;
        }
        var tail = true;
        for (var j = first; j < values.Length && tail; j++)
        {
            tail = double.IsNaN(values[j]);
        }
        return (tail, first) switch
        {
            (true, 0) => $"is NaN in all {values.Length} coordinates (nothing written, or NaN everywhere)",
            (true, _) => $"has only its first {first} of {values.Length} coordinates written (NaN from {first} on): the model wrote fewer values than its Dimension",
            _ => string.Create(CultureInfo.InvariantCulture, $"has a non-finite value at coordinate {first} ({values[first]})"),
        };
    }

    private ModelFailureException Fail(int? iteration, string problem, Exception? inner = null) => ModelFailureException.Of(Model, Node, iteration, problem, inner);
}
