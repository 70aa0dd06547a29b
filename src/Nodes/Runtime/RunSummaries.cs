using Decentral.Agreement;

namespace Decentral.Nodes.Runtime;

/// <summary>The end-of-run summary of a runtime: the objective at the live nodes' average model, diameters, counters.</summary>
internal static class RunSummaries
{
    public static RunSummary Of(ClusterRuntime runtime, bool completed, TimeSpan wall)
    {
        var statuses = runtime.Nodes;
        var live = statuses.Where(s => runtime.IsLocal(s.Index)).Select(s => s.Snapshot).Where(s => !s.Crashed && s.Model.Length > 0).ToList();
        var models = live.Select(s => s.Model).ToList();
        FinalState final;
        if (models.Count == 0)
        {
            final = new FinalState(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }
        else
        {
            var mean = new double[models[0].Length];
            VectorMath.Mean(models, mean);
            var gradient = new double[mean.Length];
            var loss = runtime.Evaluation.Gradient(mean, gradient);
            var norm = VectorMath.SumOfSquares(gradient);
            final = new FinalState(loss, norm, VectorMath.DiameterCw(models), VectorMath.DiameterL2(models), models.Count);
        }
        return new RunSummary(
            runtime.IsSimulated ? "simulate" : "run",
            statuses.Count(s => runtime.IsLocal(s.Index)),
            runtime.Systems.Count,
            runtime.Spec.Protocol.Iterations,
            runtime.Spec.Seed,
            wall.TotalSeconds,
            runtime.Elapsed.TotalSeconds,
            final,
            runtime.FaultLog,
            statuses.Sum(s => s.Snapshot.SkippedIterations),
            runtime.Messages,
            runtime.Bytes,
            completed)
        {
            Failures = [.. runtime.ModelFailures.Select(f => new NodeFailure(statuses[f.Node].Name, f.Iteration, f.Detail))],
        };
    }
}
