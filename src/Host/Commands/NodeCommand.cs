using System.CommandLine;
using Decentral.Remote;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral node --config FILE --cluster NAME`: runs one cluster in this process, its actor system on
/// Akka.Remote (the addresses of all clusters come from <c>decentral.remote</c>), with SQLite checkpoints
/// it recovers from when started again, and an admin endpoint on 127.0.0.1 for `status` and `fault`.
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var config = RemoteCli.ConfigOption();
        var cluster = new Option<string>("--cluster") { Description = "The cluster this process runs (e.g. c1)", Required = true };
        var set = ConfigCommand.SetOption();
        var untilShutdown = new Option<bool>("--until-shutdown") { Description = "After finishing, keep serving peers until POST /shutdown (as under `up`)" };
        var parent = new Option<int?>("--parent") { Description = "Shut down when the process with this id exits (`up` passes its own)" };
        var log = new Option<string?>("--log") { Description = "Append logs and the summary to this file instead of the console" };
        var json = RemoteCli.JsonOption("Print the final summary as one JSON object");
        var found = new Option<bool>("--found-cluster")
        {
            Description = "May found the Akka cluster when no other cluster answers, even after a restart: give it to one process when every process of a deployment restarts at once",
        };
        var command = new Command("node", "Run one cluster of a multi-process deployment in this process (Akka.Remote between processes)")
        {
            config, cluster, set, untilShutdown, parent, log, json, found,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new NodeRunOptions
            {
                ConfigFile = parse.GetValue(config),
                Cluster = parse.GetValue(cluster)!,
                Overrides = parse.GetValue(set) ?? [],
                UntilShutdown = parse.GetValue(untilShutdown),
                ParentPid = parse.GetValue(parent),
                LogFile = parse.GetValue(log),
                Json = parse.GetValue(json),
                FoundCluster = parse.GetValue(found),
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Loads the deployment, its certificate and the cluster's index (bad input: exit 2), then runs the node.</summary>
    private static async Task<int> RunAsync(NodeRunOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        const string name = "decentral node";
        if (RemoteCli.Load(options.ConfigFile, options.Overrides, stderr, name) is not { } loaded)
        {
            return Cli.BadInput;
        }

        var index = RemoteCli.Cluster(loaded.Remote, options.Cluster, stderr, name);
        if (index < 0)
        {
            return Cli.BadInput;
        }

        TlsMaterial? tls = null;
        if (loaded.Remote.Tls is not null && (tls = RemoteCli.LoadTls(loaded.Remote, stderr, name)) is null)
        {
            return Cli.BadInput;
        }

        return await NodeHost.RunAsync(options, loaded.Run, loaded.Remote, index, tls, stdout, stderr, cancellationToken).ConfigureAwait(false);
    }
}
