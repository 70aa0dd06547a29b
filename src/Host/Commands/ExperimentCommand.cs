using System.CommandLine;
using Decentral.Configuration;
using Decentral.Experiments;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral experiment asgd|spread [--config FILE] [--set k=v]… [--json] [--out DIR]`. `asgd` runs the
/// asynchronous SGD family side by side (each method over a step-size grid, best step size per method),
/// writes DIR/trace.csv and the plots, and prints the table with the theory next to it (or JSON).
/// `spread` runs Attiya–Schiller's claims on the decentralized protocol. Configuration errors: message
/// on stderr, exit code 2; an output directory that cannot be written: exit code 1.
/// </summary>
internal static class ExperimentCommand
{
    public const string DefaultOut = "experiment-asgd";

    public const string DefaultSpreadOut = "experiment-spread";

    public static Command Create()
    {
        var command = new Command("experiment", "Reproduce the seeds' experiments (hocon/experiments/*.conf)");
        command.Add(Experiment(
            "asgd",
            "Minibatch vs asynchronous SGD (pure, random, shuffle, delay-adaptive, rescaled, Rennala, Ringmaster) on one problem",
            "asgrad.conf", DefaultOut, "trace.csv, plot.svg and plot-steps.svg",
            (file, sets) => AsgdSettingsReader.Load(file, sets),
            RunAsgd));
        command.Add(Experiment(
            "spread",
            "Attiya–Schiller's claims on the decentralized protocol: Δcw against ηC (constant and decreasing η), any:M through a partition, loss against sequential minibatch SGD",
            "spread.conf", DefaultSpreadOut, "spread.csv, plot-spread.svg and plot-loss.svg",
            (file, sets) => SpreadSettingsReader.Load(file, sets),
            RunSpread));
        return command;
    }

    /// <summary>What one experiment invocation was given, and where it reports.</summary>
    private sealed record Invocation(string Name, string OutDir, bool Json, TextWriter Out, TextWriter Err)
    {
        /// <summary>Progress lines on stderr (none with --json, whose stdout is one object).</summary>
        public Action<string>? Progress => Json ? null : line => Err.WriteLine($"  {line}");

        public int CannotWrite(Exception e)
        {
            Err.WriteLine($"{Name}: cannot write to '{OutDir}': {e.Message}");
            return 1;
        }

        public void Wrote(IEnumerable<string> files)
        {
            Out.WriteLine();
            Out.WriteLine($"wrote {string.Join(", ", files.Select(f => Path.Combine(OutDir, f)))}");
        }
    }

    /// <summary>An experiment subcommand: the shared options, settings read from HOCON, then <paramref name="run"/>.</summary>
    private static Command Experiment<TSettings>(
        string verb, string description, string exampleConfig, string defaultOut, string files,
        Func<string?, IReadOnlyList<string>, TSettings> load, Func<TSettings, Invocation, int> run)
    {
        var config = new Option<string?>("--config")
        {
            Description = $"HOCON file, e.g. hocon/experiments/{exampleConfig} (default: the embedded local.conf with the experiment's defaults)",
        };
        var set = ConfigCommand.SetOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var output = new Option<string>("--out")
        {
            Description = $"Directory for {files} (default: ./{defaultOut})",
            DefaultValueFactory = _ => defaultOut,
        };
        var command = new Command(verb, description) { config, set, json, output };
        command.SetAction(parse =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var name = $"decentral experiment {verb}";
            TSettings settings;
            try
            {
                settings = load(parse.GetValue(config), parse.GetValue(set) ?? []);
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

            return run(settings, new Invocation(name, outDir, parse.GetValue(json), parse.InvocationConfiguration.Output, stderr));
        });
        return command;
    }

    private static int RunAsgd(AsgdExperimentSettings settings, Invocation call)
    {
        AsgdExperimentResult result;
        try
        {
            Directory.CreateDirectory(call.OutDir);
            // trace.csv fills as each run of the grid finishes; only each method's best run stays in memory.
            using var file = new StreamWriter(Path.Combine(call.OutDir, AsgdReport.TraceFile), false, new System.Text.UTF8Encoding(false));
            var trace = new TraceCsv(file, settings.OptimalValue);
            result = AsgdExperiment.Run(settings, call.Progress, (variant, run) => trace.Append(variant.Label, run.StepSize, run.Result.Samples));
            AsgdReport.WriteFiles(result, call.OutDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return call.CannotWrite(e);
        }

        if (call.Json)
        {
            AsgdReport.WriteJson(result, call.Out);
        }
        else
        {
            AsgdReport.WriteTable(result, call.Out);
            call.Wrote(new[] { AsgdReport.TraceFile }.Concat(AsgdReport.PlotFiles(result)));
        }

        return 0;
    }

    private static int RunSpread(SpreadSettings settings, Invocation call)
    {
        var result = SpreadExperiment.Run(settings, call.Progress);
        try
        {
            SpreadReport.WriteFiles(result, call.OutDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return call.CannotWrite(e);
        }

        if (call.Json)
        {
            SpreadReport.WriteJson(result, call.Out);
        }
        else
        {
            SpreadReport.WriteTable(result, call.Out);
            call.Wrote([SpreadReport.CsvFile, SpreadReport.SpreadPlotFile, SpreadReport.LossPlotFile]);
        }

        return result.Constant.Completed && result.Decreasing.Completed && result.Partition.Completed ? 0 : 1;
    }
}
