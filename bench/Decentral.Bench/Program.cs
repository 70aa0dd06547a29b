using BenchmarkDotNet.Running;

namespace Decentral.Bench;

/// <summary>
/// Entry point for every benchmark class in this assembly, e.g.
/// <c>dotnet run -c Release --project bench/Decentral.Bench -- --filter '*Agreement*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
