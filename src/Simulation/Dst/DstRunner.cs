using System.Diagnostics;
using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;
using Decentral.Simulation.Dst.Invariants;
using Microsoft.Extensions.Logging.Abstractions;

namespace Decentral.Simulation.Dst;

/// <summary>
/// Runs one seed: draws its scenario, runs the decentralized protocol on the deterministic simulator
/// under the scenario's faults, checks every invariant along the way and at the end, and stops at the
/// first violation. Same seed (and mutant) ⇒ same run, event for event.
/// </summary>
public static class DstRunner
{
    /// <summary>Virtual time simulated per slice before the stop conditions are re-examined.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);

    public static DstResult Run(long seed, DstMutant? mutant = null, DstSettings? settings = null, bool trace = false)
    {
        var s = settings ?? DstSettings.Default;
        var scenario = ScenarioGenerator.Draw(seed, s);
        return Run(scenario, mutant, s, trace);
    }

    public static DstResult Run(DstScenario scenario, DstMutant? mutant, DstSettings settings, bool trace = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(settings);
        var wall = Stopwatch.StartNew();
        var spec = BuildSpec(scenario, mutant);
        // Akka's warnings (a damaged checkpoint passed over, …) reach the trace through the observer already.
        var simulator = new Simulator(scenario.Seed, new SimulationSettings { LogLevel = "ERROR" });
        ClusterRuntime runtime;
        try
        {
            runtime = SimulatedClusters.Create(spec, simulator, NullLoggerFactory.Instance);
        }
        catch
        {
            simulator.Dispose();
            throw;
        }
        var setup = wall.Elapsed;
        DstResult result;
        try
        {
            result = Run(scenario, mutant, settings, trace, simulator, runtime, wall);
        }
        catch
        {
            runtime.Dispose();
            simulator.Dispose();
            throw;
        }
        var shutdownStart = wall.Elapsed;
        try
        {
            // Stops the nodes, drains the checkpoint writer, terminates the actor systems.
            runtime.Dispose();
            simulator.Dispose();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Like a run that throws: name the seed and let the campaign go on.
            var problem = $"shutting the run down threw {ex.GetType().Name}: {ex.Message}";
            result = result with
            {
                ShutdownProblem = problem,
                Violation = result.Violation ?? new Violation(InvariantNames.Harness, problem, simulator.Now, simulator.EventCount),
            };
        }
        return result with { SetupTime = setup, ShutdownTime = wall.Elapsed - shutdownStart, WallTime = wall.Elapsed };
    }

    private static DstResult Run(DstScenario scenario, DstMutant? mutant, DstSettings settings, bool trace, Simulator simulator, ClusterRuntime runtime, Stopwatch wall)
    {
        var spec = runtime.Spec;
        var log = new TraceLog(trace, spec.NodeName);
        log.Note($"seed {scenario.Seed}{(mutant is null ? string.Empty : ", mutant " + mutant.Name)}: {scenario.Describe()}");
        foreach (var episode in scenario.Episodes)
        {
            log.Note($"scheduled: {episode}");
        }
        var buffers = new BoundedBuffersInvariant(scenario.MaxBufferedStages, RegisterBound(scenario));
        var monitor = new InvariantMonitor(runtime, simulator, log, buffers, settings.Epsilon);
        runtime.AddObserver(monitor);
        simulator.Trace = monitor.OnSimulationEvent;
        var driver = new FaultDriver(runtime, simulator, monitor, log, scenario);

        var budget = LivenessBudget(scenario);
        var finishedInTime = false;
        try
        {
            runtime.Start();
            driver.Start();
            finishedInTime = RunToEnd(simulator, driver, monitor, budget);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever broke (a fault the runtime refused, a checker bug, a runaway simulation), the campaign
            // must name the seed and go on with the next one rather than die.
            monitor.Report(InvariantNames.Harness, $"the run threw {ex.GetType().Name}: {ex.Message}");
        }
        if (monitor.Violation is null && simulator.ForeignEnqueues != 0)
        {
            // Work handed to the simulation from another thread: the interleaving is no longer a function of the seed.
            monitor.Report(InvariantNames.Harness, $"{simulator.ForeignEnqueues} piece(s) of work entered the simulation from another thread: the run is not deterministic");
        }
        if (monitor.Violation is null)
        {
            monitor.Report(InvariantNames.Contraction, monitor.Contraction.Finish());
        }
        if (monitor.Violation is null)
        {
            var heal = driver.LastEnd.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            monitor.Report(InvariantNames.Liveness, monitor.Liveness.Check(
                runtime.Snapshot(), finishedInTime, $"{budget.TotalMilliseconds:0.###} ms of virtual time after the last fault ended at {heal} ms", AgreementExpected(scenario)));
        }
        // What happens from here on (stopping the nodes, draining the writer, terminating the systems)
        // is not part of the run: no more faults, no trace, no checks.
        driver.Stop();
        monitor.Close();
        simulator.Trace = null;
        log.Flush();
        return new DstResult
        {
            Seed = scenario.Seed,
            Mutant = mutant,
            Scenario = scenario,
            Violation = monitor.Violation,
            Tail = monitor.TailAtViolation,
            Trace = trace ? log.Text : null,
            TraceHash = simulator.TraceHash ^ (log.Hash * 31),
            Events = simulator.EventCount,
            VirtualTime = simulator.Now,
            WallTime = wall.Elapsed,
            StagesCompleted = monitor.StagesCompleted,
            ContractionPairs = monitor.Contraction.PairsChecked,
            ContractionRounds = monitor.Contraction.RoundsChecked,
            Resumes = monitor.Checkpoints.Resumes,
            CheckpointsReportedBehind = monitor.Checkpoints.ReportedBehind,
            CheckpointsSavedAfterCrash = monitor.CheckpointsSavedAfterCrash,
            PeakBufferedStages = buffers.PeakBufferedStages,
            PeakRegisterInstances = buffers.PeakRegisterInstances,
            FinalDiameter = monitor.Liveness.FinalDiameter,
        };
    }

    /// <summary>Runs until every episode is over and every live node finished, a violation, or the liveness budget after the last fault.</summary>
    private static bool RunToEnd(Simulator simulation, FaultDriver driver, InvariantMonitor monitor, TimeSpan budget)
    {
        while (monitor.Violation is null)
        {
            if (driver.AllEnded && monitor.AllLiveFinished)
            {
                return true;
            }
            if (driver.AllEnded && simulation.Now >= driver.LastEnd + budget)
            {
                return false;
            }
            var limit = driver.AllEnded ? Min(Slice, driver.LastEnd + budget - simulation.Now) : Slice;
            simulation.RunUntil(() => monitor.Violation is not null || (driver.AllEnded && monitor.AllLiveFinished), limit);
        }
        return false;
    }

    public static ClusterRunSpec BuildSpec(DstScenario scenario, DstMutant? mutant)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var dataSeed = SeededRandom.Derive(unchecked((ulong)scenario.Seed), "dst/data");
        var data = SyntheticData.Logistic(scenario.Rows, scenario.Dimension, dataSeed).Data;
        return new ClusterRunSpec
        {
            Training = new TrainingSpec
            {
                Data = data,
                Model = LinearModels.LogisticL2(0.01),
                BatchSize = scenario.BatchSize,
                StepSize = new ConstantStepSize(scenario.StepSize),
                ComputeTime = scenario.ComputeTime,
                WorkerScales = scenario.ComputeTime == Nodes.Compute.ComputeTimeKind.None ? null : scenario.WorkerScales,
                Seed = dataSeed,
            },
            Protocol = new ProtocolOptions
            {
                Layout = scenario.Layout,
                Quorum = scenario.Quorum,
                Iterations = scenario.Iterations,
                Rounds = scenario.Rounds,
                FinalRounds = scenario.FinalRounds,
                ClusterRounds = scenario.ClusterRounds,
                Rule = mutant?.Rule ?? MidExtremes.Instance,
                MaxBufferedStages = scenario.MaxBufferedStages,
                CheckpointEvery = scenario.CheckpointEvery,
                Rules = mutant?.Rules ?? ProtocolRules.Faithful,
            },
            Seed = (ulong)scenario.Seed,
            NetworkLatency = scenario.NetworkLatency,
            ResendInterval = scenario.ResendInterval,
            CheckpointKeep = scenario.CheckpointKeep,
            MetricsEvery = 0,
        };
    }

    /// <summary>
    /// Register arrays a cluster may hold (ClusterMemory's contract): the agreement instances of the
    /// <see cref="ClusterMemory.RetainedIterations"/> + 1 newest iterations (R rounds each, R + F in the
    /// last), plus, for each member working below that window, the R instances of its own iteration.
    /// Independent of T, so a leak fails it.
    /// </summary>
    public static int RegisterBound(DstScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var largest = scenario.Layout.Sizes.Max();
        return ((ClusterMemory.RetainedIterations + 1) * scenario.Rounds) + scenario.FinalRounds + (largest * scenario.Rounds);
    }

    /// <summary>
    /// How long after the last fault every live node must have finished: a few resend periods to
    /// recover, then every remaining iteration at the pace of the slowest node with a resend period per
    /// stage — far above a fault-free run's pace, so only a node that is truly stuck exceeds it.
    /// </summary>
    public static TimeSpan LivenessBudget(DstScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var stage = scenario.ResendInterval + (scenario.NetworkLatency * 4);
        var iteration = (scenario.MaxComputeTime * 2) + (stage * (scenario.Rounds + 1));
        return (scenario.ResendInterval * 10) + (iteration * (scenario.Iterations + 3)) + (stage * scenario.FinalRounds);
    }

    /// <summary>
    /// Whether the protocol forces the nodes to agree: not when some cluster is a quorum on its own —
    /// its members then complete every stage with their own cluster's messages, and only the K
    /// in-cluster rounds (none when K = 1) pull them together.
    /// </summary>
    public static bool AgreementExpected(DstScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var layout = scenario.Layout;
        return !Enumerable.Range(0, layout.ClusterCount).Any(c => scenario.Quorum.IsQuorum(layout.Members(c), layout));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
