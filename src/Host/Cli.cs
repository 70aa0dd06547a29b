using System.CommandLine;
using Decentral.Host.Commands;

namespace Decentral.Host;

/// <summary>Builds the `decentral` command tree. Each command lives in its own file under Commands/.</summary>
public static class Cli
{
    /// <summary>Exit code for bad input (unknown option, unparsable or out-of-range value).</summary>
    public const int BadInput = 2;

    /// <summary>How long a command may take to wind down after SIGTERM or Ctrl+C before the process exits anyway.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(30);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("decentral: fault-tolerant asynchronous and decentralized SGD, every node an actor")
        {
            RunCommand.CreateRun(),
            RunCommand.CreateSimulate(),
            AgreementCommand.Create(),
            ConfigCommand.Create(),
            DstCommand.Create(),
            ExperimentCommand.Create(),
            NodeCommand.Create(),
            UpCommand.Create(),
            StatusCommand.Create(),
            FaultCommand.Create(),
            CertCommand.Create(),
            BenchCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"decentral: {error.Message}");
            }

            return BadInput;
        }

        // SIGTERM/Ctrl+C cancel the command's token; `decentral node` then writes its summary, drains its
        // checkpoint writer and leaves the Akka cluster (CoordinatedShutdown), which takes longer than
        // System.CommandLine's default grace of 2 s before it lets the process die.
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = TerminationGrace });
    }
}
