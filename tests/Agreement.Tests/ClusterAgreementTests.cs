using Decentral.Agreement.Tests.Support;

namespace Decentral.Agreement.Tests;

public sealed class ClusterAgreementTests
{
    /// <summary>Counts register operations so a test can see that one Step is exactly one of them.</summary>
    private sealed class CountingRegisters(int count) : IRegisterArray
    {
        private readonly InMemoryRegisterArray inner = new(count);

        public int Operations { get; private set; }

        public int Count => inner.Count;

        public RegisterEntry? Read(int slot)
        {
            Operations++;
            return inner.Read(slot);
        }

        public void Write(int slot, RegisterEntry entry)
        {
            Operations++;
            inner.Write(slot, entry);
        }
    }

    private sealed record Run(double[][] Inputs, ClusterAgreement[] Members, bool[] Crashed);

    /// <summary>
    /// An adversarial scheduler: members step in a random order biased by random speeds spanning two orders of
    /// magnitude; crashed members stop at a random step. Every live member is stepped until done.
    /// </summary>
    private static Run RunRandomSchedule(Random rng, int s, int d, int rounds, int crashes)
    {
        var inputs = Vectors.Random(rng, s, d);
        var regs = new CountingRegisters(s);
        var members = Enumerable.Range(0, s).Select(i => new ClusterAgreement(i, s, inputs[i], rounds)).ToArray();
        var crashAt = Enumerable.Repeat(int.MaxValue, s).ToArray();
        foreach (var victim in Enumerable.Range(0, s).OrderBy(_ => rng.Next()).Take(crashes))
        {
            crashAt[victim] = rng.Next(ClusterAgreement.StepBound(s, rounds));
        }

        var speed = Enumerable.Range(0, s).Select(_ => Math.Pow(10, 2 * rng.NextDouble())).ToArray();
        while (true)
        {
            var runnable = Enumerable.Range(0, s).Where(i => !members[i].IsDone && members[i].Steps < crashAt[i]).ToArray();
            if (runnable.Length == 0)
            {
                break;
            }

            var u = rng.NextDouble() * runnable.Sum(i => speed[i]);
            var pick = runnable[^1];
            foreach (var i in runnable)
            {
                u -= speed[i];
                if (u <= 0)
                {
                    pick = i;
                    break;
                }
            }

            var before = regs.Operations;
            members[pick].Step(regs);
            Assert.Equal(before + 1, regs.Operations);
        }

        return new Run(inputs, members, crashAt.Select(c => c != int.MaxValue).ToArray());
    }

    [Fact]
    public void Live_members_terminate_within_the_step_bound_with_outputs_in_the_hull_whatever_the_schedule()
    {
        var rng = new Random(2024);
        for (var t = 0; t < 3_000; t++)
        {
            var s = 1 + rng.Next(7);
            var d = 1 + rng.Next(40);
            var rounds = 1 + rng.Next(5);
            var run = RunRandomSchedule(rng, s, d, rounds, rng.Next(s));
            for (var i = 0; i < s; i++)
            {
                var m = run.Members[i];
                if (run.Crashed[i] && !m.IsDone)
                {
                    continue;
                }

                var context = $"trial {t}: s={s} d={d} K={rounds} member {i}";
                Assert.True(m.IsDone, context);
                Assert.InRange(m.Steps, 1, ClusterAgreement.StepBound(s, rounds));
                Assert.Equal(rounds, m.Round);
                var w = m.OutputWeights.ToArray();
                Assert.Equal(s, w.Length);
                Assert.All(w, x => Assert.True(x >= 0, context));
                Assert.Equal(1, w.Sum(), 12);
                Assert.True(Naive.MaxAbsDifference(Naive.WeightedSum(run.Inputs, w), m.Output.ToArray()) < 1e-12, context);
                if (t % 10 == 0)
                {
                    Assert.True(Hull.Distance(run.Inputs, m.Output.ToArray()) < 1e-9, context);
                }
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void In_one_dimension_each_in_cluster_round_halves_the_spread(int rounds)
    {
        // Collect views of members aggregating the same round intersect, and midpoints of intersecting
        // intervals are at most half the spread apart: K rounds shrink the range by 2^-(K-1).
        var rng = new Random(rounds);
        for (var t = 0; t < 4_000; t++)
        {
            var s = 2 + rng.Next(6);
            var run = RunRandomSchedule(rng, s, 1, rounds, rng.Next(s));
            var outputs = run.Members.Where(m => m.IsDone).Select(m => m.Output.Span[0]).ToArray();
            var inputs = run.Inputs.Select(x => x[0]).ToArray();
            var spread = outputs.Length == 0 ? 0 : outputs.Max() - outputs.Min();
            Assert.True(
                spread <= ((inputs.Max() - inputs.Min()) / Math.Pow(2, rounds - 1)) + 1e-12,
                $"trial {t}: s={s} K={rounds} output spread {spread}");
        }
    }

    [Fact]
    public void A_member_running_alone_decides_its_input_and_the_others_adopt_it()
    {
        var inputs = Vectors.Random(new Random(1), 4, 3);
        var regs = new InMemoryRegisterArray(4);
        var members = Enumerable.Range(0, 4).Select(i => new ClusterAgreement(i, 4, inputs[i], 3)).ToArray();
        while (!members[2].IsDone)
        {
            members[2].Step(regs);
        }

        Assert.Equal(inputs[2], members[2].Output.ToArray());
        foreach (var m in members.Where(m => !m.IsDone))
        {
            while (!m.IsDone)
            {
                m.Step(regs);
            }

            Assert.Equal(inputs[2], m.Output.ToArray());
            Assert.True(m.Skips > 0);
        }
    }

    [Fact]
    public void In_lockstep_every_member_sees_every_input_and_outputs_their_MidExtremes()
    {
        var inputs = Vectors.Random(new Random(6), 5, 8);
        var regs = new InMemoryRegisterArray(5);
        var members = Enumerable.Range(0, 5).Select(i => new ClusterAgreement(i, 5, inputs[i], 4)).ToArray();
        while (members.Any(m => !m.IsDone))
        {
            foreach (var m in members.Where(m => !m.IsDone))
            {
                m.Step(regs);
            }
        }

        var (a, b) = Naive.FarthestPair(inputs);
        var expected = inputs[a].Zip(inputs[b], (x, y) => (x + y) / 2).ToArray();
        Assert.All(members, m => Assert.True(Naive.MaxAbsDifference(expected, m.Output.ToArray()) < 1e-15));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    [InlineData(3, 1)]
    public void Degenerate_sizes_take_exactly_the_expected_steps(int size, int rounds)
    {
        // A cluster of one writes once per round (K writes); K = 1 is the single initial write.
        var regs = new InMemoryRegisterArray(size);
        var m = new ClusterAgreement(0, size, new double[] { 7, 8 }, rounds);
        var steps = 0;
        while (!m.IsDone)
        {
            m.Step(regs);
            steps++;
        }

        Assert.Equal(size == 1 ? rounds : 1, steps);
        Assert.Equal([7.0, 8], m.Output.ToArray());
        Assert.Equal(ClusterAgreement.StepBound(size, rounds), size == 1 ? steps : 1 + ((rounds - 1) * size));
        Assert.Throws<InvalidOperationException>(() => m.Step(regs));
    }

    [Fact]
    public void Bad_arguments_are_rejected_naming_the_parameter()
    {
        double[] x = [1, 2];
        Assert.Equal("clusterSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterAgreement(0, 0, x)).ParamName);
        Assert.Equal("slot", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterAgreement(3, 3, x)).ParamName);
        Assert.Equal("slot", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterAgreement(-1, 3, x)).ParamName);
        Assert.Equal("rounds", Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterAgreement(0, 3, x, 0)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new ClusterAgreement(0, 3, Array.Empty<double>())).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new ClusterAgreement(0, 3, new[] { 1, double.NaN })).ParamName);
        var m = new ClusterAgreement(0, 3, x);
        Assert.Equal("registers", Assert.Throws<ArgumentException>(() => m.Step(new InMemoryRegisterArray(2))).ParamName);
    }
}
