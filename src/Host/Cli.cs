using System.CommandLine;

namespace Decentral.Host;

/// <summary>Builds the `decentral` command tree. Each command lives in its own file under Commands/.</summary>
public static class Cli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("decentral: fault-tolerant asynchronous and decentralized SGD, every node an actor");
        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
