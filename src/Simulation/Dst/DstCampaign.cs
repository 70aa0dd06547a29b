using System.Diagnostics;
using System.Text.Json;

namespace Decentral.Simulation.Dst;

/// <summary>The outcome of a range of seeds.</summary>
public sealed record DstCampaignResult(long FirstSeed, long LastSeed, DstMutant? Mutant, IReadOnlyList<DstResult> Results, TimeSpan WallTime)
{
    public int Seeds => Results.Count;

    public int Passed => Results.Count(r => r.Passed);

    public int Failed => Seeds - Passed;

    public IEnumerable<DstResult> Failures => Results.Where(r => !r.Passed);

    /// <summary>
    /// Exit code of `decentral dst`: without a mutant 0 when every seed passed, 1 otherwise; with a
    /// mutant 0 when the campaign caught it (at least one violation), 1 when it slipped through.
    /// </summary>
    public int ExitCode => Mutant is null ? (Failed == 0 ? 0 : 1) : (Failed > 0 ? 0 : 1);

    /// <summary>The JSON report: {"seeds", "passed", "failed", "violations": [{"seed", "invariant", "replay"}], "mutant"}.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteNumber("seeds", Seeds);
            w.WriteNumber("passed", Passed);
            w.WriteNumber("failed", Failed);
            w.WriteStartArray("violations");
            foreach (var r in Failures)
            {
                w.WriteStartObject();
                w.WriteNumber("seed", r.Seed);
                w.WriteString("invariant", r.Violation!.Invariant);
                w.WriteString("message", r.Violation.Message);
                w.WriteString("replay", r.Replay);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (Mutant is null)
            {
                w.WriteNull("mutant");
            }
            else
            {
                w.WriteString("mutant", Mutant.Name);
            }
            w.WriteNumber("first_seed", FirstSeed);
            w.WriteNumber("last_seed", LastSeed);
            w.WriteNumber("wall_seconds", Math.Round(WallTime.TotalSeconds, 3));
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>Runs seeds first…last, in parallel, and hands each result over in seed order as soon as it and all before it are done.</summary>
public static class DstCampaign
{
    public static DstCampaignResult Run(
        long first,
        long last,
        DstMutant? mutant = null,
        DstSettings? settings = null,
        int jobs = 1,
        bool failFast = false,
        Action<DstResult>? onResult = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last, nameof(first));
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var s = settings ?? DstSettings.Default;
        s.Validate();
        var wall = Stopwatch.StartNew();
        var results = new List<DstResult>();
        var done = new Dictionary<long, DstResult>();
        var gate = new object();
        var next = first;
        var stop = false;
        long emitted = first;

        void Worker()
        {
            while (true)
            {
                long seed;
                lock (gate)
                {
                    if (stop || next > last || cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    seed = next++;
                }
                var result = DstRunner.Run(seed, mutant, s);
                lock (gate)
                {
                    done[seed] = result;
                    // Hand results over in seed order, so output does not depend on thread timing.
                    while (done.Remove(emitted, out var r))
                    {
                        if (stop)
                        {
                            break;
                        }
                        results.Add(r);
                        onResult?.Invoke(r);
                        emitted++;
                        if (failFast && !r.Passed)
                        {
                            stop = true;
                        }
                    }
                }
            }
        }

        var threads = Enumerable.Range(0, jobs).Select(_ => new Thread(Worker) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return new DstCampaignResult(first, results.Count == 0 ? first : results[^1].Seed, mutant, results, wall.Elapsed);
    }
}
