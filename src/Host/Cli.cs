using System.CommandLine;
using Decentral.Host.Commands;

namespace Decentral.Host;

/// <summary>Builds the `decentral` command tree. Each command lives in its own file under Commands/.</summary>
public static class Cli
{
    /// <summary>Exit code for bad input (unknown option, unparsable or out-of-range value).</summary>
    public const int BadInput = 2;

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

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
