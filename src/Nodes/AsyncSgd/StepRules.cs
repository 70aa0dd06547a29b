namespace Decentral.Nodes.AsyncSgd;

/// <summary>The step size applied to a gradient from <c>worker</c> that arrives <c>delay</c> server steps late.</summary>
public interface IStepRule
{
    double StepSize(int worker, long delay);
}

/// <summary>η for every gradient.</summary>
public sealed class ConstantStepRule : IStepRule
{
    public ConstantStepRule(double eta) => Eta = StepRules.CheckPositive(eta, nameof(eta));

    public double Eta { get; }

    public double StepSize(int worker, long delay) => Eta;
}

/// <summary>
/// Mishchenko et al.'s delay-adaptive rule η_k = η·min(1, M/τ_k) (their code: η·M/max(M, τ_k)): fresh
/// gradients get the full step, a gradient M times staler than "one per worker" a proportionally smaller one.
/// </summary>
public sealed class DelayAdaptiveStepRule : IStepRule
{
    public DelayAdaptiveStepRule(double eta, int m)
    {
        Eta = StepRules.CheckPositive(eta, nameof(eta));
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        M = m;
    }

    public double Eta { get; }

    public int M { get; }

    public double StepSize(int worker, long delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delay);
        return delay <= M ? Eta : Eta * M / delay;
    }
}

/// <summary>
/// Rescaled ASGD: γ_i = γ·τ_i/τ̄ with τ_i worker i's mean compute time and τ̄ their arithmetic mean. A
/// worker that delivers 1/τ_i gradients per unit time then moves x by γ/τ̄ per unit time, the same for
/// every worker, so the fixed point is that of the plain average of the local objectives instead of the
/// frequency-weighted one vanilla ASGD is biased to.
/// </summary>
public sealed class RescaledStepRule : IStepRule
{
    private readonly double[] _steps;

    public RescaledStepRule(double gamma, IReadOnlyList<double> meanTimes)
    {
        Gamma = StepRules.CheckPositive(gamma, nameof(gamma));
        ArgumentNullException.ThrowIfNull(meanTimes);
        if (meanTimes.Count == 0)
        {
            throw new ArgumentException("Rescaled steps need the mean compute time of at least one worker.", nameof(meanTimes));
        }
        var sum = 0.0;
        foreach (var t in meanTimes)
        {
            if (!(t >= 0 && double.IsFinite(t)))
            {
                throw new ArgumentOutOfRangeException(nameof(meanTimes), t, "Mean compute times must be finite and ≥ 0.");
            }
            sum += t;
        }
        _steps = new double[meanTimes.Count];
        var mean = sum / meanTimes.Count;
        for (var i = 0; i < _steps.Length; i++)
        {
            // Zero compute time everywhere: no speed difference to correct, every worker gets γ.
            _steps[i] = mean > 0 ? Gamma * meanTimes[i] / mean : Gamma;
        }
    }

    public double Gamma { get; }

    public IReadOnlyList<double> WorkerSteps => _steps;

    public double StepSize(int worker, long delay) => _steps[worker];
}

public static class StepRules
{
    /// <summary>The rule of an asynchronous method; <paramref name="meanTimes"/> only matters for rescaled steps.</summary>
    public static IStepRule Create(StepRuleKind kind, double eta, int m, IReadOnlyList<double> meanTimes) => kind switch
    {
        StepRuleKind.Constant => new ConstantStepRule(eta),
        StepRuleKind.DelayAdaptive => new DelayAdaptiveStepRule(eta, m),
        StepRuleKind.Rescaled => new RescaledStepRule(eta, meanTimes),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown step rule."),
    };

    internal static double CheckPositive(double value, string name) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, "A step size must be positive and finite.");
}
