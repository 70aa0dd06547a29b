namespace Decentral.Nodes.AsyncSgd;

/// <summary>How the server combines gradients.</summary>
public enum ServerKind
{
    /// <summary>Wait for every worker's gradient at the same x, step with their mean.</summary>
    Minibatch,

    /// <summary>Step on every arriving gradient, whatever x it was computed at.</summary>
    Asynchronous,

    /// <summary>Rennala SGD: collect S gradients at x_k from whoever finishes, step, discard stale work.</summary>
    Rennala,
}

/// <summary>Who receives the job the server issues after a gradient arrives (AsGrad's three rules).</summary>
public enum JobAssignmentKind
{
    /// <summary>The worker whose gradient just arrived.</summary>
    Pure,

    /// <summary>A uniformly drawn worker; queued behind its current job when it is busy.</summary>
    Random,

    /// <summary>permutation[k mod n], the permutation redrawn every n jobs; queued when busy.</summary>
    Shuffle,
}

/// <summary>How the step size of an asynchronous update depends on its delay and its worker.</summary>
public enum StepRuleKind
{
    /// <summary>η for every gradient.</summary>
    Constant,

    /// <summary>η·min(1, M/τ) (Mishchenko, Bach, Even, Woodworth 2022).</summary>
    DelayAdaptive,

    /// <summary>γ·τ_i/τ̄ for worker i with mean compute time τ_i (Rescaled ASGD).</summary>
    Rescaled,
}

/// <summary>
/// One method of the asynchronous SGD family: server kind, job assignment, step rule and whether stale
/// gradients are dropped (Ringmaster). Made from a configuration name with <see cref="Parse"/>.
/// </summary>
public sealed record AsyncMethod(string Name, ServerKind Server, JobAssignmentKind Assignment, StepRuleKind StepRule, bool DropsStale)
{
    /// <summary>The names <see cref="Parse"/> accepts, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> KnownNames { get; } =
        ["minibatch", "pure", "random", "shuffle", "delay-adaptive", "rescaled", "rennala", "ringmaster"];

    public static AsyncMethod Minibatch { get; } = new("minibatch", ServerKind.Minibatch, JobAssignmentKind.Pure, StepRuleKind.Constant, false);

    public static AsyncMethod Pure { get; } = new("pure", ServerKind.Asynchronous, JobAssignmentKind.Pure, StepRuleKind.Constant, false);

    public static AsyncMethod Random { get; } = new("random", ServerKind.Asynchronous, JobAssignmentKind.Random, StepRuleKind.Constant, false);

    public static AsyncMethod Shuffle { get; } = new("shuffle", ServerKind.Asynchronous, JobAssignmentKind.Shuffle, StepRuleKind.Constant, false);

    public static AsyncMethod DelayAdaptive { get; } = new("delay-adaptive", ServerKind.Asynchronous, JobAssignmentKind.Pure, StepRuleKind.DelayAdaptive, false);

    public static AsyncMethod Rescaled { get; } = new("rescaled", ServerKind.Asynchronous, JobAssignmentKind.Pure, StepRuleKind.Rescaled, false);

    public static AsyncMethod Rennala { get; } = new("rennala", ServerKind.Rennala, JobAssignmentKind.Pure, StepRuleKind.Constant, false);

    public static AsyncMethod Ringmaster { get; } = new("ringmaster", ServerKind.Asynchronous, JobAssignmentKind.Pure, StepRuleKind.Constant, true);

    /// <summary>
    /// Parses a method name (case-insensitive): minibatch, pure (alias asgd), random, shuffle,
    /// delay-adaptive, rescaled, rennala, ringmaster.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not one of them; the message lists the known names.</exception>
    public static AsyncMethod Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "minibatch" => Minibatch,
            "pure" or "asgd" => Pure,
            "random" => Random,
            "shuffle" => Shuffle,
            "delay-adaptive" => DelayAdaptive,
            "rescaled" => Rescaled,
            "rennala" => Rennala,
            "ringmaster" => Ringmaster,
            _ => throw new ArgumentException(
                $"Unknown method '{name}': expected one of {string.Join(", ", KnownNames)}.", nameof(name)),
        };
    }

    public override string ToString() => Name;
}
