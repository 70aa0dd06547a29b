using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Decentral.Remote;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral bench remote [--json] [--baseline]`: loopback throughput of Akka.Remote with the protocol
/// serializer (encoding, validation) in ms per iteration and GB/s for d = 10⁴, 10⁵, 10⁶ with 3 and 5
/// clusters (short runs); with <c>--baseline</c>, each configuration is followed by the plain baseline
/// (<see cref="RemoteBench.RunBaselineAsync"/>) in a child process with .NET's default GC settings, and
/// the product's row carries the ratio.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Micro benchmarks of the runtime");
        command.Add(Remote());
        command.Add(BenchModelCommand.Create());
        return command;
    }

    private static Command Remote()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var dims = new Option<string>("--dims") { Description = "Model dimensions, comma-separated", DefaultValueFactory = _ => "10000,100000,1000000" };
        var clusters = new Option<string>("--clusters") { Description = "Cluster counts, comma-separated", DefaultValueFactory = _ => "3,5" };
        var seconds = new Option<double>("--seconds") { Description = "Measured time per configuration (at least 3 iterations)", DefaultValueFactory = _ => 1.0 };
        var wire = new Option<string>("--wire") { Description = "float64 | float32", DefaultValueFactory = _ => "float64" };
        var baseline = new Option<bool>("--baseline")
        {
            Description = "Per configuration, also measure the product's path with .NET's default GC and the plain baseline (default Akka settings, a BinaryWriter serializer, float64, default GC), and print the ratios",
        };
        var inProcess = new Option<bool>("--in-process") { Hidden = true };
        var baselineOnly = new Option<bool>("--baseline-only") { Hidden = true };
        var variant = new Option<string?>("--variant") { Hidden = true };
        var command = new Command("remote", "Loopback throughput of Akka.Remote: ms per iteration and GB/s of the all-to-all model exchange between W actor systems")
        {
            json, dims, clusters, seconds, wire, baseline, inProcess, baselineOnly, variant,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (!TryParseList(parse.GetValue(dims)!, 1, 50_000_000, out var dimensions) || !TryParseList(parse.GetValue(clusters)!, 2, 64, out var counts))
            {
                stderr.WriteLine("decentral bench remote: --dims takes integers from 1 to 50000000 and --clusters from 2 to 64, comma-separated.");
                return Cli.BadInput;
            }

            var wireName = parse.GetValue(wire)!;
            var encoding = wireName switch
            {
                "float64" => VectorEncoding.Float64,
                "float32" => VectorEncoding.Float32,
                _ => (VectorEncoding?)null,
            };
            var duration = parse.GetValue(seconds);
            if (encoding is null || !(duration is > 0 and <= 600))
            {
                stderr.WriteLine("decentral bench remote: --wire is float64 or float32, --seconds lies in (0, 600].");
                return Cli.BadInput;
            }

            var results = new List<RemoteBenchResult>();
            foreach (var m in counts)
            {
                foreach (var d in dimensions)
                {
                    if (parse.GetValue(inProcess))
                    {
                        // One arm, measured in this process with whatever GC settings it was started with.
                        var one = parse.GetValue(baselineOnly)
                            ? await RemoteBench.RunBaselineAsync(m, d, TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false)
                            : await RemoteBench.RunAsync(m, d, encoding.Value, TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false);
                        results.Add(parse.GetValue(variant) is { } name ? one with { Variant = name } : one);
                        continue;
                    }

                    // Every arm in a child process: the GC settings are per process, and a deployed node gets
                    // the launcher's (ProcessLauncher.GcEnvironment) on top of decentral.runtimeconfig.json.
                    Arm[] arms = parse.GetValue(baseline)
                        ? [new("decentral", false, true), new("decentral-default-gc", false, false), new("baseline", true, false)]
                        : [new("decentral", false, true)];
                    var measured = new List<RemoteBenchResult>();
                    foreach (var arm in arms)
                    {
                        if (await InChildAsync(arm, m, d, wireName, duration, stderr, cancellationToken).ConfigureAwait(false) is not { } r)
                        {
                            return 1;
                        }

                        measured.Add(r);
                    }

                    var plain = measured.SingleOrDefault(r => r.Variant == "baseline");
                    results.AddRange(measured.Select(r => plain is null || r == plain ? r : r with { SpeedupOverBaseline = plain.MsPerIteration / r.MsPerIteration }));
                }
            }

            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new { bench = "remote", results }, AdminJson.RunShaped));
            }
            else
            {
                RemoteBench.WriteTable(results, stdout);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// .NET's defaults for the GC settings decentral ships (runtimeconfig and <see cref="ProcessLauncher.GcEnvironment"/>):
    /// environment variables win over runtimeconfig.json, so such a process runs as a plain .NET program would.
    /// </summary>
    private static readonly (string Key, string? Value)[] DefaultGc =
    [
        ("DOTNET_GCgen0size", null),
        ("DOTNET_GCRegionSize", "0x400000"),
        ("DOTNET_GCLOHThreshold", "0x14C08"),
        ("DOTNET_GCRetainVM", "0"),
    ];

    /// <summary>One measured arm: its name, whether it is the plain baseline, whether it runs with decentral's GC settings.</summary>
    private sealed record Arm(string Variant, bool Baseline, bool ShippedGc);

    /// <summary>Measures one arm of one configuration in a child `decentral bench remote --in-process`.</summary>
    private static async Task<RemoteBenchResult?> InChildAsync(
        Arm arm, int clusters, int dimension, string wire, double seconds, TextWriter stderr, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        List<string> arguments = [
            "bench", "remote", "--in-process", "--json", "--variant", arm.Variant,
            "--clusters", clusters.ToString(inv), "--dims", dimension.ToString(inv), "--seconds", seconds.ToString(inv), "--wire", wire];
        if (arm.Baseline)
        {
            arguments.Add("--baseline-only");
        }

        var start = ProcessLauncher.SelfStart(arguments);
        if (arm.ShippedGc)
        {
            ProcessLauncher.ApplyGcEnvironment(start);
        }
        else
        {
            foreach (var (key, value) in DefaultGc)
            {
                if (value is null)
                {
                    start.Environment.Remove(key);
                }
                else
                {
                    start.Environment[key] = value;
                }
            }
        }

        using var child = System.Diagnostics.Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var line = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (child.ExitCode != 0 || line is null)
        {
            stderr.WriteLine($"decentral bench remote: the {arm.Variant} process exited with {child.ExitCode}: {output}");
            return null;
        }

        return JsonSerializer.Deserialize<BenchReport>(line, AdminJson.RunShaped)!.Results.Single();
    }

    private sealed record BenchReport(string Bench, IReadOnlyList<RemoteBenchResult> Results);

    private static bool TryParseList(string text, int min, int max, out List<int> values)
    {
        values = [];
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                return false;
            }

            values.Add(value);
        }

        return values.Count > 0;
    }
}
