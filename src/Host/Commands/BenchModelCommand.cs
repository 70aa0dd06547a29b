using System.CommandLine;
using Decentral.Nodes.Models.Bench;

namespace Decentral.Host.Commands;

/// <summary>
/// `decentral bench model [--json] [--seconds s]`: the blocked matrix multiply's GFLOP/s and the MLP's
/// gradients per second per core, each beside the triple-loop baseline measured in the same run and the
/// core's theoretical peak. The measurement lives in <see cref="ModelBench"/>.
/// </summary>
internal static class BenchModelCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var seconds = new Option<double>("--seconds") { Description = "CPU seconds measured per kernel and per arm (in 5 rounds)", DefaultValueFactory = _ => 1.0 };
        var command = new Command("model", "GFLOP/s of the MLP's blocked matrix multiply and its gradients per second per core, against a plain triple loop")
        {
            json, seconds,
        };
        command.SetAction(parse =>
        {
            var duration = parse.GetValue(seconds);
            if (!(duration is > 0 and <= 600))
            {
                parse.InvocationConfiguration.Error.WriteLine("decentral bench model: --seconds lies in (0, 600].");
                return Cli.BadInput;
            }

            var stderr = parse.InvocationConfiguration.Error;
            var report = new ModelBench(duration).Run(step => stderr.WriteLine($"measuring {step} …"));
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                stdout.WriteLine(ModelBench.ToJson(report));
            }
            else
            {
                ModelBench.WriteTable(report, stdout);
            }
            return 0;
        });
        return command;
    }
}
