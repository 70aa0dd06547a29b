using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Decentral.Host.Tests.Fuzzing;

/// <summary>What one input did: an outcome label (accepted, or the documented exception that rejected it), or a failure.</summary>
internal readonly record struct FuzzOutcome(string Label, string? Failure = null)
{
    public static FuzzOutcome Fail(string failure) => new("failure", failure);
}

/// <summary>The figures of one fuzz run, as the README reports them.</summary>
internal sealed record FuzzFigures
{
    public required string Target { get; init; }

    public required ulong Seed { get; init; }

    public required int Requested { get; init; }

    public required int Inputs { get; init; }

    public required TimeSpan Wall { get; init; }

    public required bool BudgetExhausted { get; init; }

    public required TimeSpan MaxTime { get; init; }

    public required int MaxTimeCase { get; init; }

    /// <summary>The slowest input, shortened, to see what costs most.</summary>
    public required string MaxTimeInput { get; init; }

    public required TimeSpan MaxWall { get; init; }

    public required long MaxAllocated { get; init; }

    public required int MaxAllocatedCase { get; init; }

    public required IReadOnlyDictionary<string, int> Outcomes { get; init; }

    /// <summary>Unexpected exceptions and broken properties, each with its case number and input.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>Inputs above <see cref="FuzzHarness.SlowInput"/> or <see cref="FuzzHarness.HeavyInput"/>.</summary>
    public required IReadOnlyList<string> Flagged { get; init; }

    public string Summary()
    {
        var inv = CultureInfo.InvariantCulture;
        var clock = ThreadCpuClock.IsCpuTime ? "CPU" : "wall";
        var run = string.Create(inv, $"{Target}: {Inputs:N0} of {Requested:N0} inputs (seed {Seed}) in {Wall.TotalSeconds:F1} s{(BudgetExhausted ? " (time budget reached)" : "")}; ");
        var worst = string.Create(inv, $"max per input {MaxTime.TotalMilliseconds:F1} ms {clock} (case {MaxTimeCase}), {MaxWall.TotalMilliseconds:F1} ms wall; ");
        var heaviest = string.Create(inv, $"max allocated {MaxAllocated / 1e6:F1} MB (case {MaxAllocatedCase}); {Failures.Count} failures, {Flagged.Count} flagged; ");
        return run + worst + heaviest
            + string.Join(", ", Outcomes.OrderByDescending(o => o.Value).Select(o => string.Create(inv, $"{o.Key} {o.Value:N0}")));
    }
}

/// <summary>
/// Runs seeded inputs through a target one at a time on a thread of its own (1 MB of stack, the smallest
/// .NET commonly gives a thread), timing each on the thread's CPU clock and counting what it allocates
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>). Input n depends only on the seed and n, so a
/// reported case reproduces. Stops after the input count or the time budget, whichever comes first.
/// </summary>
internal static class FuzzHarness
{
    /// <summary>An input that takes longer than this is flagged.</summary>
    public static readonly TimeSpan SlowInput = TimeSpan.FromSeconds(1);

    /// <summary>An input that allocates more than this is flagged.</summary>
    public const long HeavyInput = 256L << 20;

    private const int ShownFailures = 20;
    private const int ShownInput = 400;

    /// <param name="make">Input n (not measured).</param>
    /// <param name="check">Runs the target on an input: the outcome, or an exception the harness records as a failure.</param>
    /// <param name="show">The input as text for a failure report.</param>
    /// <param name="progress">Called every 10% of the inputs with a one-line status, and with each failure as it happens.</param>
    public static FuzzFigures Run<T>(
        string target, ulong seed, int count, TimeSpan budget, Func<int, T> make, Func<T, FuzzOutcome> check, Func<T, string> show, Action<string>? progress = null)
    {
        FuzzFigures? figures = null;
        Exception? broken = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    figures = RunHere(target, seed, count, budget, make, check, show, progress);
                }
                catch (Exception e)
                {
                    broken = e;
                }
            },
            1 << 20);
        thread.Start();
        // An input that hangs keeps the thread busy: the test fails instead of waiting for ever.
        if (!thread.Join(budget + TimeSpan.FromMinutes(5)))
        {
            throw new TimeoutException($"{target}: an input did not finish within five minutes after the time budget of {budget}");
        }

        return broken is null ? figures! : throw new InvalidOperationException($"{target}: the harness itself failed", broken);
    }

    private static FuzzFigures RunHere<T>(
        string target, ulong seed, int count, TimeSpan budget, Func<int, T> make, Func<T, FuzzOutcome> check, Func<T, string> show, Action<string>? progress)
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var flagged = new List<string>();
        var wall = Stopwatch.StartNew();
        var (maxTime, maxWall, maxAllocated, maxTimeCase, maxAllocatedCase) = (TimeSpan.Zero, TimeSpan.Zero, 0L, -1, -1);
        var maxTimeInput = "";
        var n = 0;
        for (; n < count && wall.Elapsed < budget; n++)
        {
            var input = make(n);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = ThreadCpuClock.Now();
            var wallBefore = Stopwatch.GetTimestamp();
            FuzzOutcome outcome;
            try
            {
                outcome = check(input);
            }
            catch (Exception e)
            {
                outcome = FuzzOutcome.Fail($"unexpected {e.GetType().FullName}: {e}");
            }

            var time = ThreadCpuClock.Now() - cpuBefore;
            var elapsed = Stopwatch.GetElapsedTime(wallBefore);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            outcomes[outcome.Label] = outcomes.GetValueOrDefault(outcome.Label) + 1;
            if (outcome.Failure is not null && failures.Count < ShownFailures)
            {
                failures.Add($"case {n}: {outcome.Failure}\ninput: {Shorten(show(input))}");
                progress?.Invoke(failures[^1]);
            }

            if (time > SlowInput || allocated > HeavyInput)
            {
                flagged.Add(string.Create(CultureInfo.InvariantCulture,
                    $"case {n}: {time.TotalMilliseconds:F0} ms, {allocated / 1e6:F0} MB ({outcome.Label})\ninput: {Shorten(show(input))}"));
            }

            if (time > maxTime)
            {
                (maxTime, maxTimeCase, maxTimeInput) = (time, n, Shorten(show(input)));
            }

            maxWall = elapsed > maxWall ? elapsed : maxWall;
            (maxAllocated, maxAllocatedCase) = allocated > maxAllocated ? (allocated, n) : (maxAllocated, maxAllocatedCase);
            if (progress is not null && count >= 10 && (n + 1) % (count / 10) == 0)
            {
                progress(string.Create(CultureInfo.InvariantCulture,
                    $"{target}: {n + 1:N0} inputs, {wall.Elapsed.TotalSeconds:F0} s, {failures.Count} failures, max {maxTime.TotalMilliseconds:F1} ms, {maxAllocated / 1e6:F1} MB"));
            }
        }

        return new FuzzFigures
        {
            Target = target,
            Seed = seed,
            Requested = count,
            Inputs = n,
            Wall = wall.Elapsed,
            BudgetExhausted = n < count,
            MaxTime = maxTime,
            MaxTimeCase = maxTimeCase,
            MaxTimeInput = maxTimeInput,
            MaxWall = maxWall,
            MaxAllocated = maxAllocated,
            MaxAllocatedCase = maxAllocatedCase,
            Outcomes = outcomes,
            Failures = failures,
            Flagged = flagged,
        };
    }

    /// <summary>The input with control characters escaped and long middles cut.</summary>
    private static string Shorten(string text)
    {
        var shown = text.Length <= ShownInput ? text : string.Concat(text.AsSpan(0, ShownInput / 2), $" …({text.Length:N0} characters)… ", text.AsSpan(text.Length - (ShownInput / 2)));
        var sb = new StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                < ' ' or (>= '\u007f' and < '\u00a0') => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
