using System.CommandLine;
using Decentral.Remote;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral up [--config FILE] [--json]`: starts one `decentral node` process per cluster on the
/// configured loopback ports, shows a live view, forwards Ctrl-C, and collects the summaries (`--json`:
/// one JSON object on stdout, as `run` prints). Exit code 0 when every cluster completed.
/// </summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var config = RemoteCli.ConfigOption();
        var set = ConfigCommand.SetOption();
        var json = RemoteCli.JsonOption("Print one JSON object at the end instead of the live view and table");
        var interval = new Option<double>("--interval") { Description = "Seconds between live-view polls", DefaultValueFactory = _ => 1.0 };
        var grace = new Option<double>("--grace")
        {
            Description = "Seconds a crashed cluster may stay down before the others' completion ends the run",
            DefaultValueFactory = _ => 10.0,
        };
        var command = new Command("up", "Start a local multi-process deployment: one process per cluster, Akka.Remote on 127.0.0.1")
        {
            config, set, json, interval, grace,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var seconds = parse.GetValue(interval);
            var graceSeconds = parse.GetValue(grace);
            if (!(seconds is > 0 and <= 3600) || !(graceSeconds is >= 0 and <= 86400))
            {
                stderr.WriteLine("decentral up: --interval must lie in (0, 3600] and --grace in [0, 86400] seconds.");
                return Cli.BadInput;
            }

            var options = new UpOptions(parse.GetValue(config), parse.GetValue(set) ?? [], parse.GetValue(json), TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(graceSeconds));
            if (RemoteCli.Load(options.ConfigFile, options.Overrides, stderr, "decentral up") is not { } loaded)
            {
                return Cli.BadInput;
            }

            // Every process would fail on a certificate it cannot open: say so once, before starting any.
            if (loaded.Remote.Tls is not null)
            {
                if (RemoteCli.LoadTls(loaded.Remote, stderr, "decentral up") is not { } material)
                {
                    return Cli.BadInput;
                }

                material.Certificate.Dispose();
            }

            return await UpSession.RunAsync(options, loaded.Run, loaded.Remote, parse.InvocationConfiguration.Output, stderr, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
