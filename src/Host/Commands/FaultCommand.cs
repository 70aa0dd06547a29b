using System.CommandLine;
using Decentral.Hocon;
using Decentral.Remote;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral fault crash|restart|partition|heal|delay|drop|blackhole|passthrough … --config FILE`:
/// injects faults into a running multi-process deployment through the admin endpoints. `crash c3` kills
/// c3's process (no cleanup); `restart c3` starts it again (it recovers from its checkpoint and skips to
/// the frontier); `crash c3/n1` and `restart c3/n1` act on one node inside its process; link faults are
/// applied by each process to its own outgoing links.
/// </summary>
internal static class FaultCommand
{
    public static Command Create()
    {
        var command = new Command("fault", "Inject a fault into a running multi-process deployment (see `decentral up`)");
        command.Add(Targeted("crash", "Crash a cluster's process (kill, no cleanup) or one node (c3/n1)", FaultActions.CrashAsync));
        command.Add(Targeted("restart", "Start a crashed cluster's process again (it recovers from its checkpoint), or restart one node", FaultActions.RestartAsync));
        command.Add(Partition());
        command.Add(Simple("heal", "End every partition, blackhole, delay and drop on every process"));
        command.Add(Link("blackhole", "Drop everything between two clusters, both ways", null));
        command.Add(Link("passthrough", "Clear the faults between two clusters, both ways", null));
        command.Add(Link("delay", "Delay messages between two clusters, both ways (e.g. delay c1 c2 50ms)", "DURATION"));
        command.Add(Link("drop", "Drop messages between two clusters with a probability, both ways (e.g. drop c1 c2 0.3)", "PROBABILITY"));
        return command;
    }

    private static Command Targeted(string name, string description, Func<FaultContext, string, Task<int>> action)
    {
        var target = new Argument<string>("TARGET") { Description = "A cluster (c3) or a node (c3/n1)" };
        var (command, context) = Base(name, description);
        command.Add(target);
        command.SetAction((parse, cancellationToken) => context(parse, cancellationToken, ctx => action(ctx, parse.GetValue(target)!)));
        return command;
    }

    private static Command Partition()
    {
        var groups = new Option<string[]>("--groups")
        {
            Description = "A group of clusters, comma-separated (repeat per group): --groups c1 --groups c2,c3",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var (command, context) = Base("partition", "Split the clusters into groups that cannot reach each other (clusters in no group form one more)");
        command.Add(groups);
        command.SetAction((parse, cancellationToken) => context(parse, cancellationToken, ctx => FaultActions.PartitionAsync(ctx, parse.GetValue(groups)!)));
        return command;
    }

    private static Command Simple(string name, string description)
    {
        var (command, context) = Base(name, description);
        command.SetAction((parse, cancellationToken) => context(parse, cancellationToken, ctx => FaultActions.BroadcastAsync(ctx, $"fault/{name}")));
        return command;
    }

    private static Command Link(string name, string description, string? valueName)
    {
        var from = new Argument<string>("A") { Description = "One cluster" };
        var to = new Argument<string>("B") { Description = "The other cluster" };
        var value = valueName is null ? null : new Argument<string>(valueName) { Description = valueName == "DURATION" ? "e.g. 50ms or 1s" : "from 0 to 1" };
        var (command, context) = Base(name, description);
        command.Add(from);
        command.Add(to);
        if (value is not null)
        {
            command.Add(value);
        }

        command.SetAction((parse, cancellationToken) => context(parse, cancellationToken, ctx =>
        {
            var query = "";
            if (value is not null)
            {
                var text = parse.GetValue(value)!;
                if (name == "delay")
                {
                    var delay = HoconUnits.TryParseDuration(text, out var error)
                        ?? throw new FaultUsageException($"'{text}' is not a duration ({error}); write e.g. 50ms");
                    query = $"&ms={delay.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                }
                else
                {
                    if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) || !(p is >= 0 and <= 1))
                    {
                        throw new FaultUsageException($"'{text}' is not a probability from 0 to 1");
                    }

                    query = $"&p={text}";
                }
            }

            return FaultActions.LinkAsync(ctx, name, parse.GetValue(from)!, parse.GetValue(to)!, query);
        }));
        return command;
    }

    /// <summary>A subcommand with --config and --set, and the wrapper that loads them before the action runs.</summary>
    private static (Command Command, Func<ParseResult, CancellationToken, Func<FaultContext, Task<int>>, Task<int>> Run) Base(string name, string description)
    {
        var config = RemoteCli.ConfigOption();
        var set = ConfigCommand.SetOption();
        var command = new Command(name, description) { config, set };
        return (command, async (parse, cancellationToken, action) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var commandName = $"decentral fault {name}";
            if (RemoteCli.Load(parse.GetValue(config), parse.GetValue(set) ?? [], stderr, commandName) is not { } loaded)
            {
                return Cli.BadInput;
            }

            using var admin = new AdminClient();
            try
            {
                return await action(new FaultContext(loaded.Run, loaded.Remote, parse.GetValue(config), parse.GetValue(set) ?? [], admin, stdout, stderr, commandName, cancellationToken)).ConfigureAwait(false);
            }
            catch (FaultUsageException e)
            {
                stderr.WriteLine($"{commandName}: {e.Message}.");
                return Cli.BadInput;
            }
        });
    }
}
