using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Decentral.Host.Remote;
using Decentral.Nodes.Wire;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral bench remote [--json]`: loopback throughput of Akka.Remote with the protocol serializer
/// (encoding, validation) in ms per iteration and GB/s for d = 10⁴, 10⁵, 10⁶ with 3 and 5 clusters
/// (short runs).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Micro benchmarks of the runtime");
        command.Add(Remote());
        return command;
    }

    private static Command Remote()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var dims = new Option<string>("--dims") { Description = "Model dimensions, comma-separated", DefaultValueFactory = _ => "10000,100000,1000000" };
        var clusters = new Option<string>("--clusters") { Description = "Cluster counts, comma-separated", DefaultValueFactory = _ => "3,5" };
        var seconds = new Option<double>("--seconds") { Description = "Measured time per configuration (at least 3 iterations)", DefaultValueFactory = _ => 1.0 };
        var wire = new Option<string>("--wire") { Description = "float64 | float32", DefaultValueFactory = _ => "float64" };
        var command = new Command("remote", "Loopback throughput of Akka.Remote: ms per iteration and GB/s of the all-to-all model exchange between W actor systems")
        {
            json, dims, clusters, seconds, wire,
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

            var encoding = parse.GetValue(wire) switch
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
                    results.Add(await RemoteBench.RunAsync(m, d, encoding.Value, TimeSpan.FromSeconds(duration), cancellationToken).ConfigureAwait(false));
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
