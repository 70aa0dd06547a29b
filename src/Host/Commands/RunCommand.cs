using System.CommandLine;
using Decentral.Configuration;
using Decentral.Host.Running;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral run` (every cluster in this process, thread pool, real time) and `decentral simulate`
/// (the same on the deterministic simulator, virtual time): same configuration, same output.
/// </summary>
internal static class RunCommand
{
    public static Command CreateRun() => Create(simulate: false);

    public static Command CreateSimulate() => Create(simulate: true);

    private static Command Create(bool simulate)
    {
        var name = simulate ? "simulate" : "run";
        var config = new Option<string?>("--config") { Description = "HOCON configuration file (default: the embedded hocon/local.conf)" };
        var set = ConfigCommand.SetOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (progress goes to stderr)" };
        var metrics = new Option<string?>("--metrics") { Description = "Write per-node metrics to FILE.csv or FILE.jsonl" };
        var timeout = new Option<double>("--timeout") { Description = "Give up after this many seconds of real time (run only)", DefaultValueFactory = _ => 600 };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the run (overrides decentral.seed)" };
        var command = new Command(
            name,
            simulate
                ? "Run every cluster in this process on the deterministic simulator (virtual time; one seed reproduces the run)"
                : "Run every cluster in this process on the thread pool (real time, in-memory transport)")
        {
            config, set, json, metrics,
        };
        if (simulate)
        {
            command.Add(seed);
        }
        else
        {
            command.Add(timeout);
        }

        command.SetAction(async (parse, cancellation) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var overrides = (parse.GetValue(set) ?? []).ToList();
            if (simulate && parse.GetValue(seed) is { } s)
            {
                overrides.Add($"decentral.seed={s}");
            }
            if (!simulate && !(parse.GetValue(timeout) > 0))
            {
                stderr.WriteLine("decentral run: --timeout must be a positive number of seconds.");
                return Cli.BadInput;
            }
            try
            {
                var configured = RunConfiguration.Load(parse.GetValue(config), overrides);
                return await RunDriver.ExecuteAsync(
                    configured, simulate, parse.GetValue(json), parse.GetValue(metrics), TimeSpan.FromSeconds(parse.GetValue(timeout)), stdout, stderr, cancellation).ConfigureAwait(false);
            }
            catch (ConfigurationException e)
            {
                return ConfigCommand.Report(stderr, $"decentral {name}", e);
            }
        });
        return command;
    }
}
