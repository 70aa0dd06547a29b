using System.Globalization;

namespace Decentral.Nodes.Optimization;

/// <summary>A step-size schedule η_t for iterations t = 1, 2, …</summary>
public interface IStepSize
{
    /// <summary>η_t; <paramref name="iteration"/> is 1-based.</summary>
    double At(long iteration);
}

/// <summary>η_t = η.</summary>
public sealed record ConstantStepSize : IStepSize
{
    public ConstantStepSize(double eta) => Eta = StepSize.CheckPositive(eta, nameof(eta));

    public double Eta { get; }

    public double At(long iteration)
    {
        StepSize.CheckIteration(iteration);
        return Eta;
    }

    public override string ToString() => $"constant:{StepSize.Fmt(Eta)}";
}

/// <summary>η_t = η₀/√t.</summary>
public sealed record InverseSqrtStepSize : IStepSize
{
    public InverseSqrtStepSize(double eta0) => Eta0 = StepSize.CheckPositive(eta0, nameof(eta0));

    public double Eta0 { get; }

    public double At(long iteration)
    {
        StepSize.CheckIteration(iteration);
        return Eta0 / Math.Sqrt(iteration);
    }

    public override string ToString() => $"inverse-sqrt:{StepSize.Fmt(Eta0)}";
}

/// <summary>η_t = η₀/(1 + t/t₀).</summary>
public sealed record InverseTimeStepSize : IStepSize
{
    public InverseTimeStepSize(double eta0, double t0)
    {
        Eta0 = StepSize.CheckPositive(eta0, nameof(eta0));
        T0 = StepSize.CheckPositive(t0, nameof(t0));
    }

    public double Eta0 { get; }

    public double T0 { get; }

    public double At(long iteration)
    {
        StepSize.CheckIteration(iteration);
        return Eta0 / (1 + iteration / T0);
    }

    public override string ToString() => $"inverse-time:{StepSize.Fmt(Eta0)}:{StepSize.Fmt(T0)}";
}

/// <summary>Factories and the parser for step-size schedules.</summary>
public static class StepSize
{
    public static IStepSize Constant(double eta) => new ConstantStepSize(eta);

    public static IStepSize InverseSqrt(double eta0) => new InverseSqrtStepSize(eta0);

    public static IStepSize InverseTime(double eta0, double t0) => new InverseTimeStepSize(eta0, t0);

    /// <summary>
    /// The largest constant step of Attiya and Schiller's analysis, η = 1/(2 L d (⌊m/2⌋ + 1)), with L the
    /// smoothness constant, d the dimension and m the number of clusters.
    /// </summary>
    public static double PaperBound(double smoothness, int dimension, int clusters)
    {
        CheckPositive(smoothness, nameof(smoothness));
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        return 1.0 / (2.0 * smoothness * dimension * (clusters / 2 + 1));
    }

    /// <summary>
    /// Parses <c>constant:η</c>, <c>inverse-sqrt:η₀</c>, <c>inverse-time:η₀:t₀</c> or <c>paper-bound</c>
    /// (a constant step at <see cref="PaperBound"/>, which needs <paramref name="paperBound"/> =
    /// (L, d, m)). Names are case-insensitive; numbers use '.' as the decimal point.
    /// </summary>
    public static IStepSize Parse(string text, (double Smoothness, int Dimension, int Clusters)? paperBound = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        var kind = parts[0].Trim().ToLowerInvariant();
        return kind switch
        {
            "constant" => Constant(Number(parts, 1, 2, text, "η")),
            "inverse-sqrt" => InverseSqrt(Number(parts, 1, 2, text, "η₀")),
            "inverse-time" => InverseTime(Number(parts, 1, 3, text, "η₀"), Number(parts, 2, 3, text, "t₀")),
            "paper-bound" when parts.Length != 1 => throw new ArgumentException($"Step size '{text}': paper-bound takes no number.", nameof(text)),
            "paper-bound" => paperBound is { } p
                ? Constant(PaperBound(p.Smoothness, p.Dimension, p.Clusters))
                : throw new ArgumentException($"Step size '{text}' needs the smoothness L, the dimension and the number of clusters.", nameof(paperBound)),
            _ => throw new ArgumentException(
                $"Unknown step size '{text}': expected constant:η, inverse-sqrt:η₀, inverse-time:η₀:t₀ or paper-bound.", nameof(text)),
        };
    }

    private static double Number(string[] parts, int index, int expectedParts, string text, string what)
    {
        if (parts.Length != expectedParts)
        {
            throw new ArgumentException($"Step size '{text}': expected {expectedParts - 1} number(s) after the name.", nameof(text));
        }
        if (!double.TryParse(parts[index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"Step size '{text}': {what} = '{parts[index]}' is not a number.", nameof(text));
        }
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(nameof(text), value, $"Step size '{text}': {what} must be positive and finite.");
        }
        return value;
    }

    internal static double CheckPositive(double value, string name) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, "Must be positive and finite.");

    internal static void CheckIteration(long iteration) =>
        ArgumentOutOfRangeException.ThrowIfLessThan(iteration, 1L, nameof(iteration));

    internal static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
