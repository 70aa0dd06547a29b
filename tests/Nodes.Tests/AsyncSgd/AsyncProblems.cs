using Decentral.Nodes.AsyncSgd;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Training;

namespace Decentral.Nodes.Tests.AsyncSgd;

/// <summary>Tiny deterministic problems and run options for the asynchronous SGD tests.</summary>
internal static class AsyncProblems
{
    /// <summary>
    /// Least squares on rows [i/(i+1), 1 − i/7, (i mod 3)/2] with targets i mod 4 − 1.5: 2·workers·3 rows,
    /// so every worker of up to 12 gets an equal shard.
    /// </summary>
    public static Dataset LeastSquaresData(int rows = 24)
    {
        var a = new List<double[]>();
        var b = new List<double>();
        for (var i = 0; i < rows; i++)
        {
            a.Add([i / (i + 1.0), 1 - (i / 7.0), i % 3 / 2.0]);
            b.Add((i % 4) - 1.5);
        }
        return Dataset.FromDense(a, b, "tiny-least-squares");
    }

    /// <summary>A least-squares problem with explicit fixed per-worker compute times.</summary>
    public static TrainingSpec FixedTimes(Dataset data, IReadOnlyList<double> times, PartitionMode partition = PartitionMode.Sharded, ulong seed = 7) => new()
    {
        Data = data,
        Model = LinearModels.LeastSquares(),
        Partition = partition,
        ComputeTime = ComputeTimeKind.Fixed,
        WorkerScales = times,
        Seed = seed,
    };

    public static AsyncRunOptions Options(TrainingSpec problem, AsyncMethod method, int workers, double eta, long? steps = null, double? time = null) => new()
    {
        Problem = problem,
        Method = method,
        Workers = workers,
        StepSize = eta,
        MaxSteps = steps,
        MaxTime = time,
        TraceEvery = 1,
        KeepEvents = true,
    };

    /// <summary>A scripted assignment: the k-th job goes to script[k mod script.Length].</summary>
    public sealed class ScriptedAssignment(params int[] script) : IJobAssignment
    {
        private long _issued;

        public int Next(int finishedWorker) => script[(int)(_issued++ % script.Length)];
    }
}
