using System.CommandLine;
using Decentral.Configuration;
using Decentral.Host.Experiments;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral experiment asgd [--config FILE] [--set k=v]… [--json] [--out DIR]`: runs the asynchronous
/// SGD family side by side (each method over a step-size grid, best step size per method), writes
/// DIR/trace.csv, DIR/plot.svg (‖∇f‖ vs time) and DIR/plot-steps.svg (vs server steps), and prints the table with the theory next to it (or JSON).
/// Configuration errors: message on stderr, exit code 2.
/// </summary>
internal static class ExperimentCommand
{
    public const string DefaultOut = "experiment-asgd";

    public static Command Create()
    {
        var command = new Command("experiment", "Reproduce the seeds' experiments (hocon/experiments/*.conf)");
        command.Add(CreateAsgd());
        command.Add(CreateSpread());
        return command;
    }

    private static Command CreateAsgd()
    {
        var config = new Option<string?>("--config")
        {
            Description = "HOCON file, e.g. hocon/experiments/asgrad.conf (default: the embedded local.conf with the experiment's defaults)",
        };
        var set = ConfigCommand.SetOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var output = new Option<string>("--out")
        {
            Description = $"Directory for trace.csv, plot.svg and plot-steps.svg (default: ./{DefaultOut})",
            DefaultValueFactory = _ => DefaultOut,
        };
        var command = new Command("asgd", "Minibatch vs asynchronous SGD (pure, random, shuffle, delay-adaptive, rescaled, Rennala, Ringmaster) on one problem")
        {
            config, set, json, output,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            const string name = "decentral experiment asgd";
            AsgdExperimentSettings settings;
            try
            {
                settings = AsgdSettingsReader.Load(parse.GetValue(config), parse.GetValue(set) ?? []);
            }
            catch (ConfigurationException e)
            {
                return ConfigCommand.Report(stderr, name, e);
            }

            var outDir = parse.GetValue(output);
            if (string.IsNullOrWhiteSpace(outDir))
            {
                stderr.WriteLine($"{name}: --out needs a directory name");
                return Cli.BadInput;
            }

            var asJson = parse.GetValue(json);
            AsgdExperimentResult result;
            try
            {
                Directory.CreateDirectory(outDir);
                // trace.csv fills as each run of the grid finishes; only each method's best run stays in memory.
                using var file = new StreamWriter(Path.Combine(outDir, AsgdReport.TraceFile), false, new System.Text.UTF8Encoding(false));
                var trace = new TraceCsv(file, settings.OptimalValue);
                result = AsgdExperiment.Run(
                    settings, asJson ? null : line => stderr.WriteLine($"  {line}"), (variant, run) => trace.Append(variant.Label, run.StepSize, run.Result.Samples));
                AsgdReport.WriteFiles(result, outDir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{name}: cannot write to '{outDir}': {e.Message}");
                return 1;
            }

            if (asJson)
            {
                AsgdReport.WriteJson(result, stdout);
            }
            else
            {
                AsgdReport.WriteTable(result, stdout);
                stdout.WriteLine();
                stdout.WriteLine($"wrote {string.Join(", ", new[] { AsgdReport.TraceFile }.Concat(AsgdReport.PlotFiles(result)).Select(f => Path.Combine(outDir, f)))}");
            }
            return 0;
        });
        return command;
    }

    public const string DefaultSpreadOut = "experiment-spread";

    private static Command CreateSpread()
    {
        var config = new Option<string?>("--config")
        {
            Description = "HOCON file, e.g. hocon/experiments/spread.conf (default: the embedded local.conf with the experiment's defaults)",
        };
        var set = ConfigCommand.SetOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var output = new Option<string>("--out")
        {
            Description = $"Directory for spread.csv, plot-spread.svg and plot-loss.svg (default: ./{DefaultSpreadOut})",
            DefaultValueFactory = _ => DefaultSpreadOut,
        };
        var command = new Command("spread", "Attiya–Schiller's claims on the decentralized protocol: Δcw against ηC (constant and decreasing η), any:M through a partition, loss against sequential minibatch SGD")
        {
            config, set, json, output,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            const string name = "decentral experiment spread";
            SpreadSettings settings;
            try
            {
                settings = SpreadSettingsReader.Load(parse.GetValue(config), parse.GetValue(set) ?? []);
            }
            catch (ConfigurationException e)
            {
                return ConfigCommand.Report(stderr, name, e);
            }
            var outDir = parse.GetValue(output);
            if (string.IsNullOrWhiteSpace(outDir))
            {
                stderr.WriteLine($"{name}: --out needs a directory name");
                return Cli.BadInput;
            }
            var asJson = parse.GetValue(json);
            var result = SpreadExperiment.Run(settings, asJson ? null : line => stderr.WriteLine($"  {line}"));
            try
            {
                SpreadReport.WriteFiles(result, outDir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{name}: cannot write to '{outDir}': {e.Message}");
                return 1;
            }
            if (asJson)
            {
                SpreadReport.WriteJson(result, stdout);
            }
            else
            {
                SpreadReport.WriteTable(result, stdout);
                stdout.WriteLine();
                stdout.WriteLine($"wrote {string.Join(", ", new[] { SpreadReport.CsvFile, SpreadReport.SpreadPlotFile, SpreadReport.LossPlotFile }.Select(f => Path.Combine(outDir, f)))}");
            }
            return result.Constant.Completed && result.Decreasing.Completed && result.Partition.Completed ? 0 : 1;
        });
        return command;
    }
}
