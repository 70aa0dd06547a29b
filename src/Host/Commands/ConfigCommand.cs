using System.CommandLine;
using Decentral.Configuration;
using Decentral.Hocon;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral config print [FILE] [--json] [--origins] [--set k=v]…` prints the resolved configuration
/// (the file, or the embedded default, with overrides on top of reference.conf);
/// `decentral config check [FILE] [--set k=v]…` validates it against the schema and loads the data.
/// Configuration errors go to stderr with exit code 2.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Print or check a HOCON configuration (keys and defaults: hocon/reference.conf)");
        command.Add(CreatePrint());
        command.Add(CreateCheck());
        return command;
    }

    /// <summary>The `--set key=value` option every configuration-reading command takes.</summary>
    public static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override a key, e.g. --set decentral.sgd.iterations=50 (HOCON value; repeatable; wins over the file)",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The optional configuration file argument (absent: the embedded hocon/local.conf).</summary>
    public static Argument<string?> FileArgument() => new("FILE")
    {
        Description = "HOCON configuration file (default: the embedded local.conf)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>Prints a configuration error the way every command does and returns the exit code for bad input.</summary>
    public static int Report(TextWriter stderr, string command, ConfigurationException e)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(e);
        if (e.Errors.Count == 1)
        {
            stderr.WriteLine($"{command}: {e.Errors[0]}");
        }
        else
        {
            stderr.WriteLine($"{command}: {e.Errors.Count} configuration errors:");
            foreach (var error in e.Errors)
            {
                stderr.WriteLine($"  {error}");
            }
        }

        return Cli.BadInput;
    }

    private static Command CreatePrint()
    {
        var file = FileArgument();
        var set = SetOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of HOCON" };
        var origins = new Option<bool>("--origins") { Description = "Precede each value with a comment naming where it was written" };
        var command = new Command("print", "Print the fully resolved configuration: the file (or the embedded default) and --set overrides on top of reference.conf")
        {
            file, set, json, origins,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var config = ConfigurationLoader.Load(parse.GetValue(file), parse.GetValue(set) ?? []).Config;
                stdout.WriteLine(parse.GetValue(json) ? config.ToJson(indented: true) : config.ToHocon(parse.GetValue(origins)));
                return 0;
            }
            catch (ConfigurationException e)
            {
                return Report(stderr, "decentral config print", e);
            }
            catch (HoconLimitException e)
            {
                // Rendering is bounded (HoconLimits.MaxRenderedLength): the error names the key being written.
                return Report(stderr, "decentral config print", ConfigurationException.FromHocon(e));
            }
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var file = FileArgument();
        var set = SetOption();
        var command = new Command("check", "Validate a configuration: unknown keys, types, ranges, fault targets, and that the data loads")
        {
            file, set,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var run = RunConfiguration.Load(parse.GetValue(file), parse.GetValue(set) ?? []);
                stdout.WriteLine($"ok: {run.Source.SourceName}");
                stdout.WriteLine(run.Summary());
                return 0;
            }
            catch (ConfigurationException e)
            {
                return Report(stderr, "decentral config check", e);
            }
        });
        return command;
    }
}
