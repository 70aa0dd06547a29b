using System.Runtime.InteropServices;

namespace Decentral.Agreement.Simulation;

/// <summary>
/// A pure, seeded discrete-event run of multi-cluster MDAA: per process and round, cluster AA through an
/// in-memory register array one register operation per event, then a broadcast of ⟨r, z_r⟩ to every
/// process (itself included) with random delays, and an <see cref="Mdaa"/> per process consuming the
/// deliveries. Virtual time only; one seed reproduces the run: the schedule draws from the stream
/// (seed, <see cref="SeedPurpose.Mdaa"/>, 0, 0) and the random inputs from (seed, Mdaa, 1, 0) of
/// <see cref="SeededRandom"/>. Each completed round is checked (<c>simulation.round-forward</c>: a
/// process's rounds only move forward; <c>simulation.event-budget</c>: the run ends) on top of
/// <see cref="Mdaa"/>'s own checks.
/// <para>
/// Faults: the chosen victims crash at a random point (round, register step); a crash after the
/// broadcast started lets that broadcast complete (a broadcast is all-or-nothing; see the remarks in the
/// report about partial broadcasts and skipping). A process whose <see cref="Mdaa"/> completes its round
/// while it is still inside cluster AA abandons that cluster run (a skip).
/// </para>
/// </summary>
public static class MdaaSimulation
{
    /// <summary>Safety net against a liveness bug turning into an endless loop.</summary>
    public const long MaxEvents = 200_000_000;

    public static MdaaSimulationResult Run(MdaaSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new Simulator(options).Run();
    }

    private sealed class Simulator
    {
        private readonly MdaaSimulationOptions o;
        private readonly ClusterLayout layout;
        private readonly int n;
        private readonly SeededRandom rng;
        private readonly Proc[] procs;
        private readonly double[]?[][] values;
        private readonly double[]?[][] weights;
        private readonly Dictionary<(int Cluster, int Round), InMemoryRegisterArray> registers = [];
        private readonly Dictionary<(int Sender, int Round), double[]?> provenance = [];
        private readonly PriorityQueue<Event, (double Time, long Seq)> queue = new();
        private readonly double[] linkFactor;
        private long seq;
        private double now;

        public Simulator(MdaaSimulationOptions options)
        {
            o = options;
            layout = options.Layout;
            n = layout.N;
            rng = SeededRandom.For(unchecked((ulong)options.Seed), SeedPurpose.Mdaa, 0, 0);
            values = new double[]?[options.Rounds + 1][];
            weights = new double[]?[options.Rounds + 1][];
            for (var r = 0; r <= options.Rounds; r++)
            {
                values[r] = new double[n][];
                weights[r] = new double[n][];
            }

            var inputs = options.Inputs ?? Gaussian(SeededRandom.For(unchecked((ulong)options.Seed), SeedPurpose.Mdaa, 1, 0), n, options.Dimension);
            procs = new Proc[n];
            for (var i = 0; i < n; i++)
            {
                values[0][i] = inputs[i].ToArray();
                procs[i] = new Proc(layout.ProcessAt(i), i, new Mdaa(
                    layout, o.Quorum, o.Rounds, o.Dimension, o.Rule, o.MaxBufferedRounds, o.OneValuePerCluster));
            }

            linkFactor = new double[n * n];
            AssignSpeeds();
            AssignCrashes();
        }

        public MdaaSimulationResult Run()
        {
            foreach (var p in procs)
            {
                StartRound(p, 1, values[0][p.Index]!);
            }

            long events = 0;
            while (queue.TryDequeue(out var e, out var key))
            {
                if (++events > MaxEvents)
                {
                    throw Invariant.Violated("simulation.event-budget", $"the run exceeded {MaxEvents} events (seed {o.Seed})");
                }

                now = key.Time;
                if (e.Message is { } m)
                {
                    Deliver(m);
                }
                else
                {
                    StepProcess(procs[e.Process], e.Epoch);
                }
            }

            var outcomes = new ProcessOutcome[n];
            foreach (var p in procs)
            {
                outcomes[p.Index] = new ProcessOutcome(
                    p.Id, p.Crashed, p.Finished, p.Mdaa.SkippedRounds,
                    ClusterAgreement.StepBound(layout.SizeOf(p.Id.Cluster), o.ClusterRounds),
                    p.MaxClusterSteps, p.CompletedClusterRuns, p.AbandonedClusterRuns, p.Mdaa.TotalDropped);
            }

            var analysis = SimulationAnalysis.Analyse(o, values, weights);
            return new MdaaSimulationResult(o, values, weights, analysis.Rounds, outcomes, analysis.Violation, events);
        }

        private void StartRound(Proc p, int round, double[] input)
        {
            p.Round = round;
            p.StepsThisRound = 0;
            p.Epoch++;
            var key = (p.Id.Cluster, round);
            if (!registers.TryGetValue(key, out var regs))
            {
                regs = new InMemoryRegisterArray(layout.SizeOf(p.Id.Cluster));
                registers[key] = regs;
            }

            p.Registers = regs;
            p.Cluster = new ClusterAgreement(p.Id.Member, regs.Count, input, o.ClusterRounds, o.Rule);
            Schedule(new Event(p.Index, p.Epoch, null), StepTime(p));
        }

        private void StepProcess(Proc p, int epoch)
        {
            if (p.Crashed || p.Finished || epoch != p.Epoch || p.Cluster is null)
            {
                return;
            }

            if (ShouldCrash(p))
            {
                p.Crashed = true;
                return;
            }

            p.Cluster.Step(p.Registers!);
            p.StepsThisRound++;
            if (!p.Cluster.IsDone)
            {
                Schedule(new Event(p.Index, p.Epoch, null), StepTime(p));
                return;
            }

            p.MaxClusterSteps = Math.Max(p.MaxClusterSteps, p.Cluster.Steps);
            p.CompletedClusterRuns++;
            Broadcast(p, p.Cluster);
            p.Cluster = null;
            if (ShouldCrash(p))
            {
                p.Crashed = true;
            }
        }

        private void Broadcast(Proc p, ClusterAgreement done)
        {
            var z = Array(done.Output);
            double[]? prov = null;
            var slotWeights = done.OutputWeights.Span;
            if (slotWeights.Length == layout.SizeOf(p.Id.Cluster))
            {
                prov = new double[n];
                slotWeights.CopyTo(prov.AsSpan(layout.FirstIndexOf(p.Id.Cluster)));
            }

            provenance[(p.Index, p.Round)] = prov;
            for (var q = 0; q < n; q++)
            {
                Schedule(new Event(q, 0, new Message(p.Index, q, p.Round, z)), Delay(p.Index, q));
            }
        }

        private void Deliver(Message m)
        {
            var q = procs[m.To];
            if (q.Crashed || q.Finished)
            {
                return;
            }

            var outcome = q.Mdaa.Receive(m.Round, layout.ProcessAt(m.From), m.Value);
            if (outcome.Advance is not { } adv)
            {
                return;
            }

            var r = adv.CompletedRound;
            if (r < q.Round)
            {
                throw Invariant.Violated("simulation.round-forward", $"process {q.Id} completed round {r} while in round {q.Round} (seed {o.Seed})");
            }

            var y = Array(adv.Value);
            values[r][q.Index] = y;
            weights[r][q.Index] = Compose(adv);
            if (q.Cluster is not null)
            {
                q.AbandonedClusterRuns++;
                q.MaxClusterSteps = Math.Max(q.MaxClusterSteps, q.Cluster.Steps);
                q.Cluster = null;
            }

            if (adv.Finished)
            {
                q.Finished = true;
                q.Epoch++;
            }
            else
            {
                StartRound(q, adv.NextRound, y);
            }
        }

        /// <summary>Weights over Values[r − 1]: Σ_senders w_s · provenance(s, r).</summary>
        private double[]? Compose(MdaaAdvance adv)
        {
            if (adv.Weights.Length != adv.Senders.Count)
            {
                return null;
            }

            var result = new double[n];
            var w = adv.Weights.Span;
            for (var i = 0; i < adv.Senders.Count; i++)
            {
                var prov = provenance[(layout.IndexOf(adv.Senders[i]), adv.CompletedRound)];
                if (prov is null)
                {
                    return null;
                }

                VectorMath.Axpy(w[i], prov, result);
            }

            return result;
        }

        private bool ShouldCrash(Proc p) =>
            p.CrashRound > 0 && (p.Round > p.CrashRound || (p.Round == p.CrashRound && p.StepsThisRound >= p.CrashStep));

        private void Schedule(Event e, double delay) => queue.Enqueue(e, (now + delay, seq++));

        private double StepTime(Proc p)
        {
            var basis = o.Interleaving switch
            {
                Interleaving.Lockstep => 1 + (1e-3 * rng.NextDouble()),
                Interleaving.Adversarial => Math.Pow(10, (3 * rng.NextDouble()) - 2),
                _ => Exponential(1),
            };
            return basis * p.Speed;
        }

        private double Delay(int from, int to)
        {
            var basis = o.Interleaving switch
            {
                Interleaving.Lockstep => 3 + (1e-3 * rng.NextDouble()),
                // Pareto(α = 1.5) tail: occasional very late messages.
                Interleaving.Skewed => 3 * Math.Pow(1 - rng.NextDouble(), -1 / 1.5),
                Interleaving.Adversarial => 1 + (0.1 * rng.NextDouble()),
                _ => Exponential(3),
            };
            return basis * linkFactor[(from * n) + to];
        }

        private double Exponential(double mean) => -mean * Math.Log(1 - rng.NextDouble());

        private void AssignSpeeds()
        {
            var slow = new bool[n];
            if (o.Interleaving == Interleaving.Laggards)
            {
                foreach (var i in Pick(n / 3))
                {
                    slow[i] = true;
                }
            }

            foreach (var p in procs)
            {
                p.Speed = o.Interleaving switch
                {
                    Interleaving.Skewed => Math.Pow(10, 2 * rng.NextDouble()),
                    Interleaving.Laggards => slow[p.Index] ? 50 : 1,
                    _ => 1,
                };
            }

            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    linkFactor[(a * n) + b] = o.Interleaving switch
                    {
                        Interleaving.Skewed => Math.Pow(10, 1.5 * rng.NextDouble()),
                        Interleaving.Laggards => slow[a] ? 50 : 1,
                        Interleaving.Adversarial => AdversarialRank(a, b),
                        _ => 1,
                    };
                }
            }
        }

        /// <summary>
        /// Link factor of the adversarial schedule: receiver b hears cluster (c_b + i) mod m at about 1 + 10·i and,
        /// inside a cluster, members in b's own random order (rank below 1 apart, so cluster order dominates).
        /// </summary>
        private double AdversarialRank(int from, int to)
        {
            var m = layout.ClusterCount;
            var sender = layout.ProcessAt(from);
            var clusterRank = ((sender.Cluster - layout.ProcessAt(to).Cluster) % m + m) % m;
            memberOrder ??= BuildMemberOrder();
            return 1 + (10 * clusterRank) + (memberOrder[(to * n) + from] / (double)(n + 1));
        }

        private int[]? memberOrder;

        private int[] BuildMemberOrder()
        {
            var order = new int[n * n];
            for (var to = 0; to < n; to++)
            {
                var ranks = new int[n];
                for (var i = 0; i < n; i++)
                {
                    ranks[i] = i;
                }

                rng.Shuffle<int>(ranks);
                ranks.CopyTo(order, to * n);
            }

            return order;
        }

        private void AssignCrashes()
        {
            foreach (var i in Pick(o.Crashes))
            {
                var p = procs[i];
                p.CrashRound = 1 + rng.Next(o.Rounds);
                // Past the step bound the crash falls right after the round's broadcast.
                p.CrashStep = rng.Next(ClusterAgreement.StepBound(layout.SizeOf(p.Id.Cluster), o.ClusterRounds) + 2);
            }
        }

        private int[] Pick(int count)
        {
            var all = new int[n];
            for (var i = 0; i < n; i++)
            {
                all[i] = i;
            }

            rng.Shuffle<int>(all);
            return all[..count];
        }

        private static double[] Array(ReadOnlyMemory<double> m) =>
            MemoryMarshal.TryGetArray(m, out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length
                ? seg.Array
                : m.ToArray();

        private static ReadOnlyMemory<double>[] Gaussian(SeededRandom random, int count, int dimension)
        {
            var result = new ReadOnlyMemory<double>[count];
            for (var i = 0; i < count; i++)
            {
                var v = new double[dimension];
                for (var c = 0; c < dimension; c++)
                {
                    v[c] = random.NextGaussian();
                }

                result[i] = v;
            }

            return result;
        }
    }

    private sealed class Proc(ProcessId id, int index, Mdaa mdaa)
    {
        public ProcessId Id { get; } = id;

        public int Index { get; } = index;

        public Mdaa Mdaa { get; } = mdaa;

        public int Round { get; set; }

        public int Epoch { get; set; }

        public int StepsThisRound { get; set; }

        public ClusterAgreement? Cluster { get; set; }

        public InMemoryRegisterArray? Registers { get; set; }

        public bool Crashed { get; set; }

        public bool Finished { get; set; }

        public int CrashRound { get; set; }

        public int CrashStep { get; set; }

        public double Speed { get; set; } = 1;

        public int MaxClusterSteps { get; set; }

        public int CompletedClusterRuns { get; set; }

        public int AbandonedClusterRuns { get; set; }
    }

    private readonly record struct Message(int From, int To, int Round, double[] Value);

    private readonly record struct Event(int Process, int Epoch, Message? Message);
}
